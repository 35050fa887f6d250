//! Excel 4.0 (XLM) macros: macro sheets in BIFF5/BIFF8 workbooks (`BOUNDSHEET` records of the
//! macro-sheet type) and in Office Open XML workbooks (`xl/macrosheets/`), the functions their
//! formulas call, and the names that run them when the workbook opens (`Auto_Open`).

use super::vba::{le16, le32};
use std::collections::BTreeSet;

/// Records read from a workbook stream, at most.
const MAX_RECORDS: usize = 2_000_000;
/// Sheets listed per workbook, at most.
const MAX_SHEETS: usize = 256;

/// Built-in functions that run programs, call DLLs or write files, by their BIFF function
/// number (`iftab` of `PtgFunc`/`PtgFuncVar`) and name.
const DANGEROUS_FUNCTIONS: &[(u16, &str)] = &[
    (110, "EXEC"),
    (132, "FOPEN"),
    (137, "FWRITELN"),
    (138, "FWRITE"),
    (149, "REGISTER"),
    (150, "CALL"),
    (267, "REGISTER.ID"),
];

/// The same, as formula text (`xl/macrosheets/*.xml`, SYLK), plus the commands whose number is
/// not in the function table.
const DANGEROUS_TEXT: &[&str] = &[
    "EXEC(",
    "CALL(",
    "REGISTER(",
    "REGISTER.ID(",
    "FORMULA(",
    "FORMULA.FILL(",
    "FOPEN(",
    "FWRITE(",
    "FWRITELN(",
    "URLDOWNLOADTOFILE",
    "SHELLEXECUTE",
];

/// What a workbook's macro sheets hold.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Xlm {
    /// Macro sheet names, with `(hidden)` / `(very hidden)` when they are.
    pub sheets: Vec<String>,
    /// Dangerous functions their formulas call.
    pub functions: BTreeSet<&'static str>,
    /// The name that runs them on open (`Auto_Open`), if there is one.
    pub auto_open: Option<String>,
}

/// What a BIFF workbook stream says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BiffScan {
    /// Macro sheets, if any.
    pub xlm: Option<Xlm>,
    /// A FILEPASS record: the workbook is encrypted.
    pub filepass: bool,
}

/// Reads the records of a BIFF5/BIFF8 workbook stream.
pub fn scan_biff(book: &[u8]) -> BiffScan {
    let mut scan = BiffScan::default();
    let mut biff8 = true;
    let mut macro_sheets: Vec<(usize, String)> = Vec::new();
    let mut auto_open = None;
    let mut pos = 0usize;
    let mut first = true;
    for _ in 0..MAX_RECORDS {
        let (Some(kind), Some(len)) = (le16(book, pos), le16(book, pos + 2)) else {
            break;
        };
        let Some(data) = book.get(pos + 4..pos + 4 + len as usize) else {
            break;
        };
        pos += 4 + len as usize;
        match kind {
            // BOF: the version tells BIFF5 from BIFF8 (names are laid out differently).
            0x0809 if first => biff8 = le16(data, 0) == Some(0x0600),
            0x002F => scan.filepass = true,
            // BOUNDSHEET: lbPlyPos, hsState, dt (1 = macro sheet), name.
            0x0085 => {
                let (Some(at), Some(&state), Some(&dt)) = (le32(data, 0), data.get(4), data.get(5))
                else {
                    continue;
                };
                if dt == 1 && macro_sheets.len() < MAX_SHEETS {
                    let mut name = sheet_name(data, biff8);
                    match state & 3 {
                        1 => name.push_str(" (hidden)"),
                        2 => name.push_str(" (very hidden)"),
                        _ => {}
                    }
                    macro_sheets.push((at as usize, name));
                }
            }
            // NAME: a built-in name 0x01 is Auto_Open; Excel also runs names that begin so.
            0x0018 if auto_open.is_none() => auto_open = auto_open_name(data, biff8),
            _ => {}
        }
        if kind == 0x000A {
            // The end of the globals substream: sheets follow.
            break;
        }
        first = false;
    }
    if macro_sheets.is_empty() {
        return scan;
    }
    let mut functions = BTreeSet::new();
    for (at, _) in &macro_sheets {
        let mut pos = *at;
        for _ in 0..MAX_RECORDS {
            let (Some(kind), Some(len)) = (le16(book, pos), le16(book, pos + 2)) else {
                break;
            };
            let Some(data) = book.get(pos + 4..pos + 4 + len as usize) else {
                break;
            };
            pos += 4 + len as usize;
            match kind {
                // FORMULA: the parsed expression starts at offset 22.
                0x0006 => functions.extend(ptg_functions(data.get(22..).unwrap_or_default())),
                // SHRFMLA, ARRAY: their expressions too.
                0x04BC | 0x0221 => functions.extend(ptg_functions(data)),
                0x000A => break,
                _ => {}
            }
        }
    }
    scan.xlm = Some(Xlm {
        sheets: macro_sheets.into_iter().map(|(_, n)| n).collect(),
        functions,
        auto_open,
    });
    scan
}

fn sheet_name(data: &[u8], biff8: bool) -> String {
    let cch = data.get(6).copied().unwrap_or(0) as usize;
    if !biff8 {
        return latin1(data.get(7..7 + cch).unwrap_or_default());
    }
    let wide = data.get(7).is_some_and(|f| f & 1 != 0);
    if wide {
        utf16(data.get(8..8 + 2 * cch).unwrap_or_default())
    } else {
        latin1(data.get(8..8 + cch).unwrap_or_default())
    }
}

fn auto_open_name(data: &[u8], biff8: bool) -> Option<String> {
    let flags = le16(data, 0)?;
    let cch = *data.get(3)? as usize;
    let builtin = flags & 0x0020 != 0;
    let (text, raw_first) = if biff8 {
        let wide = data.get(14)? & 1 != 0;
        if wide {
            let t = utf16(data.get(15..15 + 2 * cch)?);
            let first = le16(data, 15).unwrap_or(0) as u32;
            (t, first)
        } else {
            let bytes = data.get(15..15 + cch)?;
            (latin1(bytes), *bytes.first()? as u32)
        }
    } else {
        let bytes = data.get(14..14 + cch)?;
        (latin1(bytes), *bytes.first()? as u32)
    };
    if builtin && raw_first == 1 {
        return Some("Auto_Open".into());
    }
    text.to_ascii_lowercase()
        .starts_with("auto_open")
        .then_some(text)
}

/// Dangerous functions called by `PtgFunc` (0x21/0x41/0x61, iftab) or `PtgFuncVar`
/// (0x22/0x42/0x62, argument count, iftab) tokens in a parsed expression. Read token by token
/// would need every token's size; looking for the two shapes is enough here and never misses.
pub fn ptg_functions(rgce: &[u8]) -> BTreeSet<&'static str> {
    let mut out = BTreeSet::new();
    for (i, &b) in rgce.iter().enumerate() {
        let id = match b {
            0x21 | 0x41 | 0x61 => le16(rgce, i + 1),
            0x22 | 0x42 | 0x62 => le16(rgce, i + 2),
            _ => None,
        };
        if let Some(id) = id
            && let Some((_, name)) = DANGEROUS_FUNCTIONS.iter().find(|(n, _)| *n == id & 0x7FFF)
        {
            out.insert(*name);
        }
    }
    out
}

/// Dangerous functions in formula text (`EXEC("calc")`), case-insensitive.
pub fn text_functions(text: &str) -> BTreeSet<&'static str> {
    let upper = text.to_ascii_uppercase();
    DANGEROUS_TEXT
        .iter()
        .filter(|f| upper.contains(**f))
        .map(|f| f.trim_end_matches('('))
        .collect()
}

/// An Excel SYLK file (`ID;P` at the start): text formulas in `E` fields, and names.
pub fn scan_sylk(text: &str) -> Option<Xlm> {
    if !text.starts_with("ID;") {
        return None;
    }
    let functions = text_functions(text);
    let auto_open = text.lines().filter(|l| l.starts_with("NN;")).find_map(|l| {
        l.split(';').skip(1).find_map(|f| {
            f.strip_prefix('N')
                .filter(|n| n.to_ascii_lowercase().starts_with("auto_open"))
                .map(str::to_string)
        })
    });
    (!functions.is_empty() || auto_open.is_some()).then(|| Xlm {
        sheets: vec!["(SYLK)".into()],
        functions,
        auto_open,
    })
}

fn latin1(b: &[u8]) -> String {
    b.iter().map(|&c| c as char).collect()
}

fn utf16(b: &[u8]) -> String {
    let units: Vec<u16> = b
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend_from_slice(&(data.len() as u16).to_le_bytes());
        r.extend_from_slice(data);
        r
    }

    /// A BIFF8 workbook stream with one macro sheet (`state`: 0 visible, 2 very hidden) whose
    /// formula calls EXEC, and an `Auto_Open` built-in name when `auto_open`.
    pub(crate) fn biff8_macro_book(auto_open: bool, state: u8) -> Vec<u8> {
        let bof = record(0x0809, &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0]);
        let mut globals = bof.clone();
        let name = b"Macro1";
        let sheet_at_placeholder = globals.len();
        let mut bs = vec![0u8; 4];
        bs.push(state);
        bs.push(1);
        bs.push(name.len() as u8);
        bs.push(0);
        bs.extend_from_slice(name);
        globals.extend(record(0x0085, &bs));
        if auto_open {
            // grbit fBuiltin, chKey, cch 1, cce 0, ixals, itab, cch*4, then flags and 0x01.
            let mut n = vec![0x20, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
            n.extend_from_slice(&[0x00, 0x01]);
            globals.extend(record(0x0018, &n));
        }
        globals.extend(record(0x000A, &[]));
        let sheet_at = globals.len() as u32;
        globals[sheet_at_placeholder + 4..sheet_at_placeholder + 8]
            .copy_from_slice(&sheet_at.to_le_bytes());
        let mut sheet = bof;
        // FORMULA: row, col, ixfe, value (8), grbit, chn, cce, rgce = ptgStr "calc" + ptgFuncVar EXEC.
        let mut f = vec![0u8; 20];
        let rgce = [0x17, 4, 0, b'c', b'a', b'l', b'c', 0x42, 1, 110, 0];
        f.extend_from_slice(&(rgce.len() as u16).to_le_bytes());
        f.extend_from_slice(&rgce);
        sheet.extend(record(0x0006, &f));
        sheet.extend(record(0x000A, &[]));
        globals.extend(sheet);
        globals
    }

    #[test]
    fn biff8_macro_sheets_functions_and_auto_open() {
        let s = scan_biff(&biff8_macro_book(true, 2));
        let x = s.xlm.unwrap();
        assert_eq!(x.sheets, ["Macro1 (very hidden)"]);
        assert_eq!(x.functions.iter().copied().collect::<Vec<_>>(), ["EXEC"]);
        assert_eq!(x.auto_open.as_deref(), Some("Auto_Open"));
        assert!(!s.filepass);
        let s = scan_biff(&biff8_macro_book(false, 0));
        assert_eq!(s.xlm.unwrap().auto_open, None);
    }

    #[test]
    fn worksheets_only_and_damage() {
        let mut book = record(0x0809, &[0x00, 0x06, 0x05, 0x00]);
        book.extend(record(0x002F, &[0, 0]));
        book.extend(record(0x000A, &[]));
        let s = scan_biff(&book);
        assert!(s.filepass);
        assert!(s.xlm.is_none());
        let full = biff8_macro_book(true, 0);
        for cut in 0..full.len() {
            let _ = scan_biff(&full[..cut]);
        }
    }

    #[test]
    fn text_formulas_and_sylk() {
        let f = text_functions("<f>EXEC(\"cmd /c calc\")</f><f>=call(\"urlmon\")</f>");
        assert_eq!(f.into_iter().collect::<Vec<_>>(), ["CALL", "EXEC"]);
        let x = scan_sylk("ID;P\r\nC;X1;Y1;K0;EEXEC(\"calc.exe\")\r\nNN;NAuto_open;ER1C1\r\nE\r\n")
            .unwrap();
        assert_eq!(x.auto_open.as_deref(), Some("Auto_open"));
        assert!(scan_sylk("ID;P\r\nC;X1;Y1;K1\r\nE\r\n").is_none());
    }
}
