//! Known-bad files: hashes (`signatures/iocs/hashes.txt`) and byte patterns in a subset of
//! ClamAV's `.ndb` format (`signatures/iocs/patterns.ndb`), compiled once when signatures load,
//! matched against every attachment (files found inside archives included).
//!
//! Hash lines: `sha256:HEX  name`, `sha1:HEX  name` or `md5:HEX  name`, each optionally with the
//! file's size in bytes (`sha256:HEX:SIZE  name`); `#` starts a comment. As in ClamAV's `.hdb`
//! lists, the size spares work: when every entry has one, only files of a listed size are hashed.
//!
//! Pattern lines: `Name:TargetType:Offset:HexSignature`, where
//! - TargetType is `0` (any file), `1` (PE), `2` (OLE2), `6` (ELF), `9` (Mach-O) or `10` (PDF);
//! - Offset is `*` (anywhere), `N` (at byte N), `N,M` (starting anywhere from N to N+M) or
//!   `EOF-N` (N bytes before the end);
//! - HexSignature is hex bytes with `??` (any one byte), `*` (any number of bytes), `{N}` (exactly
//!   N bytes), `{N-M}`, `{-M}` and `{N-}` (ranges); it needs at least four fixed bytes.
//!
//! Not supported (refused with an error naming the line): alternatives `(aa|bb)`, negation `!`,
//! nibble wildcards `a?`, anchored bytes `[ ]`, other target types, `EP+`/`S` offsets and the
//! optional min/max engine-level fields.

use crate::formats::sniff;
use md5::Md5;
use regex::bytes::{Regex, RegexBuilder, RegexSet, RegexSetBuilder};
use sha1::Sha1;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// Compiled regexes may not grow past this (a pattern file is data from outside).
const REGEX_SIZE_LIMIT: usize = 64 * 1024 * 1024;
/// Largest count allowed in `{N-M}`.
const MAX_GAP: u32 = 65_535;

/// Why an IOC file was refused: the file, the line, what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}, line {line}: {message}")]
pub struct IocError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Any,
    Pe,
    Ole2,
    Elf,
    MachO,
    Pdf,
}

impl Target {
    fn matches(self, kind: &sniff::Kind) -> bool {
        use sniff::Kind as K;
        match self {
            Target::Any => true,
            Target::Pe => matches!(kind, K::Pe(_)),
            Target::Ole2 => *kind == K::Ole2,
            Target::Elf => *kind == K::Elf,
            Target::MachO => *kind == K::MachO,
            Target::Pdf => *kind == K::Pdf,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offset {
    Anywhere,
    /// Starts somewhere in `from..=from + span`.
    At {
        from: usize,
        span: usize,
    },
    FromEnd(usize),
}

#[derive(Debug, Clone)]
struct Pattern {
    name: String,
    target: Target,
    offset: Offset,
    /// The regex body, without flags or anchors.
    body: String,
    /// Anchored at the start of the haystack (`\A`, then up to `span` bytes for `N,M`), matched
    /// at the pattern's offset.
    anchored: Regex,
}

/// Every known-bad hash and pattern.
#[derive(Debug, Clone, Default)]
pub struct Iocs {
    sha256: HashMap<[u8; 32], String>,
    sha1: HashMap<[u8; 20], String>,
    md5: HashMap<[u8; 16], String>,
    /// The sizes hash entries give; a file of another size is not hashed, unless an entry
    /// without a size (`hash_any_size`) makes every file a candidate.
    hash_sizes: HashSet<u64>,
    hash_any_size: bool,
    patterns: Vec<Pattern>,
    /// The `Anywhere` patterns in one automaton: (set, index in `patterns` of each member).
    anywhere: Option<(RegexSet, Vec<usize>)>,
}

/// How a file matched an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IocMatch {
    pub name: String,
    /// `SHA-256`, `SHA-1`, `MD5` or `byte pattern`.
    pub how: &'static str,
}

impl Iocs {
    /// Number of hashes and patterns loaded.
    pub fn len(&self) -> usize {
        self.sha256.len() + self.sha1.len() + self.md5.len() + self.patterns.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds the entries of a hash list; `file` names it in errors.
    pub fn add_hashes(&mut self, text: &str, file: &str) -> Result<(), IocError> {
        for (n, line) in text.lines().enumerate() {
            let err = |message: String| IocError {
                file: file.to_string(),
                line: n + 1,
                message,
            };
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (hash, name) = match line.split_once(char::is_whitespace) {
                Some((h, rest)) => (h, rest.trim()),
                None => (line, ""),
            };
            let Some((algo, hex)) = hash.split_once(':') else {
                return Err(err(format!(
                    "expected `sha256:HEX`, `sha1:HEX` or `md5:HEX`, found `{hash}`"
                )));
            };
            let (hex, size) = match hex.split_once(':') {
                Some((hex, size)) => {
                    let size = size.parse::<u64>().map_err(|_| {
                        err(format!("`{size}` after the hash is not a size in bytes"))
                    })?;
                    (hex, Some(size))
                }
                None => (hex, None),
            };
            let bytes = decode_hex(hex).ok_or_else(|| err(format!("`{hex}` is not hex")))?;
            let name = if name.is_empty() {
                format!("{}:{}", algo.to_lowercase(), hex.to_lowercase())
            } else {
                name.to_string()
            };
            let wrong = |want: usize| {
                err(format!(
                    "a {algo} hash has {want} hex digits, this one has {}",
                    hex.len()
                ))
            };
            match algo.to_ascii_lowercase().as_str() {
                "sha256" => {
                    let key = bytes.try_into().map_err(|_| wrong(64))?;
                    self.sha256.insert(key, name);
                }
                "sha1" => {
                    let key = bytes.try_into().map_err(|_| wrong(40))?;
                    self.sha1.insert(key, name);
                }
                "md5" => {
                    let key = bytes.try_into().map_err(|_| wrong(32))?;
                    self.md5.insert(key, name);
                }
                other => {
                    return Err(err(format!(
                        "unknown hash `{other}` (expected sha256, sha1 or md5)"
                    )));
                }
            }
            match size {
                Some(size) => {
                    self.hash_sizes.insert(size);
                }
                None => self.hash_any_size = true,
            }
        }
        Ok(())
    }

    /// Adds the patterns of an `.ndb` file (the subset described above) and recompiles.
    pub fn add_ndb(&mut self, text: &str, file: &str) -> Result<(), IocError> {
        for (n, line) in text.lines().enumerate() {
            let err = |message: String| IocError {
                file: file.to_string(),
                line: n + 1,
                message,
            };
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.split(':').collect();
            let [name, target, offset, sig] = fields[..] else {
                return Err(err(format!(
                    "expected `Name:TargetType:Offset:HexSignature` (4 fields), found {}",
                    fields.len()
                )));
            };
            if name.is_empty() {
                return Err(err("the signature has no name".into()));
            }
            let target = match target.trim() {
                "0" => Target::Any,
                "1" => Target::Pe,
                "2" => Target::Ole2,
                "6" => Target::Elf,
                "9" => Target::MachO,
                "10" => Target::Pdf,
                other => {
                    return Err(err(format!(
                        "target type `{other}` is not supported (0, 1, 2, 6, 9, 10 are)"
                    )));
                }
            };
            let offset = parse_offset(offset.trim()).map_err(&err)?;
            let body = hex_signature_regex(sig.trim()).map_err(&err)?;
            let lead = match offset {
                Offset::At { span, .. } if span > 0 => format!(".{{0,{span}}}"),
                _ => String::new(),
            };
            let anchored = RegexBuilder::new(&format!("(?s-u)\\A{lead}(?:{body})"))
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| err(format!("signature does not compile: {e}")))?;
            self.patterns.push(Pattern {
                name: name.to_string(),
                target,
                offset,
                body,
                anchored,
            });
        }
        self.compile_anywhere().map_err(|message| IocError {
            file: file.to_string(),
            line: 0,
            message,
        })
    }

    fn compile_anywhere(&mut self) -> Result<(), String> {
        let members: Vec<usize> = (0..self.patterns.len())
            .filter(|&i| {
                self.patterns
                    .get(i)
                    .is_some_and(|p| p.offset == Offset::Anywhere)
            })
            .collect();
        if members.is_empty() {
            self.anywhere = None;
            return Ok(());
        }
        let exprs: Vec<String> = members
            .iter()
            .filter_map(|&i| self.patterns.get(i))
            .map(|p| format!("(?s-u){}", p.body))
            .collect();
        let set = RegexSetBuilder::new(exprs)
            .size_limit(REGEX_SIZE_LIMIT)
            .build()
            .map_err(|e| format!("patterns do not compile together: {e}"))?;
        self.anywhere = Some((set, members));
        Ok(())
    }

    /// Every entry `data` matches, by hash or by pattern.
    pub fn matches(&self, data: &[u8]) -> Vec<IocMatch> {
        let mut out = Vec::new();
        let hash = self.hash_any_size || self.hash_sizes.contains(&(data.len() as u64));
        if hash && !self.sha256.is_empty() {
            let d: [u8; 32] = Sha256::digest(data).into();
            if let Some(name) = self.sha256.get(&d) {
                out.push(IocMatch {
                    name: name.clone(),
                    how: "SHA-256",
                });
            }
        }
        if hash && !self.sha1.is_empty() {
            let d: [u8; 20] = Sha1::digest(data).into();
            if let Some(name) = self.sha1.get(&d) {
                out.push(IocMatch {
                    name: name.clone(),
                    how: "SHA-1",
                });
            }
        }
        if hash && !self.md5.is_empty() {
            let d: [u8; 16] = Md5::digest(data).into();
            if let Some(name) = self.md5.get(&d) {
                out.push(IocMatch {
                    name: name.clone(),
                    how: "MD5",
                });
            }
        }
        if self.patterns.is_empty() {
            return out;
        }
        let kind = self
            .patterns
            .iter()
            .any(|p| p.target != Target::Any)
            .then(|| sniff::sniff(data).kind);
        let target_ok = |p: &Pattern| {
            p.target == Target::Any || kind.as_ref().is_some_and(|k| p.target.matches(k))
        };
        let mut hit = vec![false; self.patterns.len()];
        if let Some((set, members)) = &self.anywhere {
            for m in set.matches(data).iter() {
                if let Some(slot) = members.get(m).and_then(|&i| hit.get_mut(i)) {
                    *slot = true;
                }
            }
        }
        for (i, p) in self.patterns.iter().enumerate() {
            let matched = match p.offset {
                Offset::Anywhere => hit.get(i).copied().unwrap_or(false),
                Offset::At { from, .. } => data.get(from..).is_some_and(|h| p.anchored.is_match(h)),
                Offset::FromEnd(n) => data
                    .len()
                    .checked_sub(n)
                    .and_then(|at| data.get(at..))
                    .is_some_and(|h| p.anchored.is_match(h)),
            };
            if matched && target_ok(p) {
                out.push(IocMatch {
                    name: p.name.clone(),
                    how: "byte pattern",
                });
            }
        }
        out
    }
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

fn parse_offset(s: &str) -> Result<Offset, String> {
    let num = |t: &str| {
        t.trim()
            .parse::<usize>()
            .map_err(|_| format!("offset `{s}` is not supported (`*`, `N`, `N,M` or `EOF-N`)"))
    };
    if s == "*" {
        return Ok(Offset::Anywhere);
    }
    if let Some(n) = s.strip_prefix("EOF-") {
        return Ok(Offset::FromEnd(num(n)?));
    }
    if let Some((from, span)) = s.split_once(',') {
        let span = num(span)?;
        if span > MAX_GAP as usize {
            return Err(format!("offset range {span} is over {MAX_GAP}"));
        }
        return Ok(Offset::At {
            from: num(from)?,
            span,
        });
    }
    Ok(Offset::At {
        from: num(s)?,
        span: 0,
    })
}

/// Turns a hex signature into the body of a bytes regex (used with `(?s-u)`).
fn hex_signature_regex(sig: &str) -> Result<String, String> {
    if !sig.is_ascii() {
        return Err("the hex signature has non-ASCII characters".into());
    }
    let b = sig.as_bytes();
    let mut out = String::new();
    let mut fixed = 0usize;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'*' => {
                out.push_str(".*?");
                i += 1;
            }
            b'?' => {
                if b.get(i + 1) != Some(&b'?') {
                    return Err(format!(
                        "nibble wildcards are not supported (at `{}`)",
                        &sig[i..]
                    ));
                }
                out.push('.');
                i += 2;
            }
            b'{' => {
                let close = sig[i..]
                    .find('}')
                    .ok_or_else(|| format!("`{{` without `}}` at `{}`", &sig[i..]))?;
                let inner = &sig[i + 1..i + close];
                let n = |t: &str| -> Result<u32, String> {
                    let v: u32 = t
                        .parse()
                        .map_err(|_| format!("`{{{inner}}}` is not a byte count or range"))?;
                    if v > MAX_GAP {
                        return Err(format!("gap `{{{inner}}}` is over {MAX_GAP}"));
                    }
                    Ok(v)
                };
                let rep = match inner.split_once('-') {
                    None => format!(".{{{}}}", n(inner)?),
                    Some(("", max)) => format!(".{{0,{}}}", n(max)?),
                    Some((min, "")) => format!(".{{{},}}?", n(min)?),
                    Some((min, max)) => {
                        let (lo, hi) = (n(min)?, n(max)?);
                        if lo > hi {
                            return Err(format!("range `{{{inner}}}` is backwards"));
                        }
                        format!(".{{{lo},{hi}}}?")
                    }
                };
                out.push_str(&rep);
                i += close + 1;
            }
            c if c.is_ascii_hexdigit() => {
                let pair = sig.get(i..i + 2).unwrap_or("");
                if pair.len() != 2 || !pair.bytes().all(|x| x.is_ascii_hexdigit()) {
                    if pair.ends_with('?') {
                        return Err(format!(
                            "nibble wildcards are not supported (at `{}`)",
                            &sig[i..]
                        ));
                    }
                    return Err(format!("odd number of hex digits at `{}`", &sig[i..]));
                }
                out.push_str(&format!("\\x{pair}"));
                fixed += 1;
                i += 2;
            }
            b'(' | b'|' | b')' | b'!' | b'[' | b']' => {
                return Err(format!(
                    "`{}` (alternatives, negation, anchored bytes) is not supported",
                    c as char
                ));
            }
            _ => {
                return Err(format!(
                    "unexpected character `{}` in the hex signature",
                    c as char
                ));
            }
        }
    }
    if fixed < 4 {
        return Err(format!(
            "a signature needs at least 4 fixed bytes, this one has {fixed}"
        ));
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// The EICAR anti-virus test file, put together at run time so that no source file carries it.
    pub(crate) fn eicar() -> Vec<u8> {
        let parts = [
            "X5O!P%@AP[4\\PZX54(P^)7CC)7}$",
            "EICAR-STANDARD-",
            "ANTIVIRUS-TEST-FILE!$H+H*",
        ];
        parts.concat().into_bytes()
    }

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn hashes_match_by_each_algorithm() {
        let data = b"not really malware";
        let mut iocs = Iocs::default();
        let list = format!(
            "# test list\n\nsha256:{}  Test.Sha256\nsha1:{} Test.Sha1\nMD5:{}\n",
            hex(&Sha256::digest(data)),
            hex(&Sha1::digest(data)),
            hex(&Md5::digest(data))
        );
        iocs.add_hashes(&list, "test.txt").unwrap();
        assert_eq!(iocs.len(), 3);
        let m = iocs.matches(data);
        let names: Vec<_> = m.iter().map(|m| (m.name.as_str(), m.how)).collect();
        assert_eq!(
            names,
            [
                ("Test.Sha256", "SHA-256"),
                ("Test.Sha1", "SHA-1"),
                (format!("md5:{}", hex(&Md5::digest(data))).as_str(), "MD5")
            ]
        );
        assert!(iocs.matches(b"something else").is_empty());
    }

    #[test]
    fn entries_with_a_size_hash_only_files_of_that_size() {
        let data = b"not really malware";
        let line =
            |size: usize| format!("sha256:{}:{size}  Test.Sized\n", hex(&Sha256::digest(data)));
        let mut sized = Iocs::default();
        sized.add_hashes(&line(data.len()), "t.txt").unwrap();
        assert_eq!(sized.matches(data).len(), 1);
        assert!(!sized.hash_any_size);
        // A wrong size in the list: the file is not even hashed.
        let mut wrong = Iocs::default();
        wrong.add_hashes(&line(data.len() + 1), "t.txt").unwrap();
        assert!(wrong.matches(data).is_empty());
        // One entry without a size makes every file a candidate again: then a digest matches
        // whatever size its entry gave.
        wrong
            .add_hashes(
                &format!("md5:{}  Test.Any\n", hex(&Md5::digest(data))),
                "t.txt",
            )
            .unwrap();
        assert_eq!(wrong.matches(data).len(), 2);
        assert!(
            Iocs::default()
                .add_hashes("sha256:00:big  x", "t.txt")
                .unwrap_err()
                .to_string()
                .contains("not a size")
        );
    }

    #[test]
    fn shipped_lists_know_the_eicar_test_file() {
        let sigs = crate::signatures::Signatures::embedded().unwrap();
        let m = sigs.iocs.matches(&eicar());
        assert!(m.iter().any(|m| m.how == "SHA-256"), "{m:?}");
        assert!(m.iter().any(|m| m.how == "byte pattern"), "{m:?}");
        assert!(sigs.iocs.matches(b"hello").is_empty());
        // The shipped entry gives the size: other files are not hashed.
        assert!(!sigs.iocs.hash_any_size);
    }

    #[test]
    fn bad_hash_lines_name_file_and_line() {
        let mut iocs = Iocs::default();
        let e = iocs
            .add_hashes("# ok\nsha256:abcd  short\n", "extra.txt")
            .unwrap_err();
        assert_eq!(e.line, 2);
        assert!(
            e.to_string()
                .starts_with("extra.txt, line 2: a sha256 hash has 64"),
            "{e}"
        );
        assert!(iocs.add_hashes("sha512:00  x", "f").is_err());
        assert!(iocs.add_hashes("deadbeef", "f").is_err());
        assert!(iocs.add_hashes("md5:zz", "f").is_err());
    }

    fn ndb(line: &str) -> Result<Iocs, IocError> {
        let mut iocs = Iocs::default();
        iocs.add_ndb(line, "t.ndb").map(|_| iocs)
    }

    #[test]
    fn ndb_wildcards_gaps_and_offsets() {
        let p = ndb("Test.Gap:0:*:41424344??46*5a5a{2}21{1-3}22").unwrap();
        assert_eq!(p.matches(b"..ABCDxF...ZZ..!ab\"").len(), 1);
        assert!(p.matches(b"..ABCDxF...ZZ..!abcd\"").is_empty());
        let at = ndb("Test.At:0:2:41424344").unwrap();
        assert_eq!(at.matches(b"..ABCD").len(), 1);
        assert!(at.matches(b"...ABCD").is_empty());
        let range = ndb("Test.Range:0:1,3:41424344").unwrap();
        assert_eq!(range.matches(b"...ABCD").len(), 1);
        assert!(range.matches(b".....ABCD").is_empty());
        let end = ndb("Test.End:0:EOF-4:41424344").unwrap();
        assert_eq!(end.matches(b"xxABCD").len(), 1);
        assert!(end.matches(b"xxABCDx").is_empty());
        let open = ndb("Test.Open:0:*:41424344{2-}45").unwrap();
        assert_eq!(open.matches(b"ABCDxxxE").len(), 1);
        assert!(open.matches(b"ABCDxE").is_empty());
    }

    #[test]
    fn ndb_target_types_use_the_sniffed_type() {
        let p = ndb("Test.Pe:1:*:4d5a9000").unwrap();
        let mut pe = crate::formats::executable::tests::minimal_pe(false, 2);
        pe[2..4].copy_from_slice(&[0x90, 0x00]);
        assert_eq!(p.matches(&pe).len(), 1);
        assert!(p.matches(b"%PDF-1.4 MZ\x90\x00").is_empty());
    }

    #[test]
    fn unsupported_ndb_syntax_is_refused_clearly() {
        for (line, says) in [
            ("A:0:*:4142(43|44)45", "not supported"),
            ("A:0:*:41424a?4344", "nibble"),
            ("A:0:*:414243", "at least 4 fixed bytes"),
            ("A:3:*:41424344", "target type `3`"),
            ("A:0:EP+0:41424344", "offset `EP+0`"),
            ("A:0:*", "4 fields"),
            ("A:0:*:41424344{5-2}45", "backwards"),
            ("A:0:*:41424344{999999}", "over"),
            ("A:0:*:4142434", "odd number"),
        ] {
            let e = ndb(line).unwrap_err();
            assert!(e.to_string().contains(says), "{line}: {e}");
            assert_eq!(e.line, 1);
        }
    }
}
