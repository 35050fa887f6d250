//! What in a PDF's JavaScript points to an exploit rather than a form: code built at run time
//! (`eval` of `unescape`d or `String.fromCharCode`-built text), shellcode written as `%u` escapes,
//! heap-spray loops, the reader APIs old exploits abused, and scripts that launch an embedded
//! file. Form scripts (number formats, sums, date checks) use none of these.

use regex::Regex;
use std::sync::LazyLock;

/// One sign, its weight (2 = enough alone, 1 = needs another), and how to find it.
struct Sign {
    name: &'static str,
    weight: u8,
    pattern: &'static str,
}

const SIGNS: &[Sign] = &[
    Sign {
        name: "eval",
        weight: 1,
        pattern: r"\beval\s*\(",
    },
    Sign {
        name: "unescape",
        weight: 1,
        pattern: r"\bunescape\s*\(",
    },
    Sign {
        name: "String.fromCharCode",
        weight: 1,
        pattern: r"fromCharCode\s*\(",
    },
    Sign {
        // `eval(unescape(…))`, `eval(decode('…'))`: code decoded at run time and run at once.
        name: "eval of decoded text",
        weight: 2,
        pattern: r"\beval\s*\(\s*(?:unescape\b|String\.fromCharCode\b|atob\b|decodeURIComponent\b|eval\s*\(|[A-Za-z_$][\w$]*\s*\(\s*['\x22])",
    },
    Sign {
        name: "%u shellcode run",
        weight: 2,
        pattern: r"(?i)(?:%u[0-9a-f]{4}){8,}|(?:\\u[0-9a-f]{4}){16,}",
    },
    Sign {
        name: "heap-spray pattern",
        weight: 2,
        pattern: r"(?i)0x0c0c0c0c|%u0c0c%u0c0c|%u9090%u9090|\\x90\\x90\\x90\\x90|while\s*\(\s*\w+\.length\s*<\s*(?:0x[0-9a-f]{5,}|\d{6,})",
    },
    Sign {
        name: "exploited reader API",
        weight: 2,
        pattern: r"Collab\s*\.\s*(?:collectEmailInfo|getIcon)|util\s*\.\s*printf\s*\(\s*['\x22]%\d{3,}|media\s*\.\s*newPlayer\s*\(\s*null|spell\s*\.\s*customDictionaryOpen|getAnnots\s*\(\s*(?:-\s*\d|\d{6,})",
    },
    Sign {
        name: "exportDataObject with nLaunch",
        weight: 2,
        pattern: r"exportDataObject\s*\([^)]{0,300}nLaunch",
    },
    Sign {
        // `{e:eval}`, `x = eval;`, `[eval]`: eval handed around as a value so that no scanner
        // sees it called. Code that means to evaluate something calls it.
        name: "eval passed as a value",
        weight: 2,
        pattern: r"[:=,(\[]\s*(?:eval|unescape)\s*[,;})\]]",
    },
    Sign {
        // `String[name]`, `app[fnc]`, `this[x + 'l']`: a method of the reader's own objects
        // looked up by a name computed at run time (`'fro'+h+'arCode'`).
        name: "method name computed at run time",
        weight: 1,
        pattern: r"\b(?:String|app|this|event|doc|util|Collab|media|spell|constructor)\s*\[\s*[A-Za-z_$]",
    },
    Sign {
        // Hidden text the script takes its payload from: an annotation's subject or a
        // document property, where no scanner of scripts looks.
        name: "text read from annotations or document properties",
        weight: 1,
        pattern: r"\.\s*subject\b|\[\s*['\x22]subject['\x22]\s*\]|\binfo\s*\.\s*(?:title|subject|author|keywords|creator|producer)\b",
    },
];

/// Junk statements (`a=26;a+=0.055;`, `x=7217;x++;`) from which on a script counts as padded
/// by an obfuscator: a variable set to a constant and at once changed by a constant does
/// nothing, and hand-written code has no reason to do it again and again.
const JUNK_PAIRS: usize = 12;

static JUNK_PAIR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"\b([A-Za-z_$][\w$]{0,3})\s*=\s*(?:-?[\d.]+|null|true|false)\s*;\s*([A-Za-z_$][\w$]{0,3})\s*(?:\+\+|--|[-+]=\s*-?[\d.]+)",
    )
    .expect("valid junk pattern")
});

/// How many junk statement pairs `script` has (the regex crate has no back-references, so the
/// two names are compared here).
fn junk_pairs(script: &str) -> usize {
    JUNK_PAIR
        .captures_iter(script)
        .filter(|c| c.get(1).map(|m| m.as_str()) == c.get(2).map(|m| m.as_str()))
        .take(JUNK_PAIRS)
        .count()
}

static COMPILED: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    SIGNS
        .iter()
        .map(|s| Regex::new(s.pattern).expect("valid JavaScript sign pattern"))
        .collect()
});

/// `String.fromCharCode` calls from which on it counts as a chain (strong alone).
const FROMCHARCODE_CHAIN: usize = 5;

/// Names of the functions and properties exploit loaders call or read; written in pieces
/// (`'ev' + 'al'`, `'fYQXrJoQ…'.replace(/[XYQJ]/g, '')`) they are hidden on purpose.
const HIDDEN_NAMES: &[&str] = &[
    "eval",
    "unescape",
    "fromCharCode",
    "charCodeAt",
    "subject",
    "syncAnnotScan",
    "getAnnots",
    "replace",
    "substr",
    "printf",
    "getIcon",
    "newPlayer",
    "customDictionaryOpen",
    "collectEmailInfo",
    "exportDataObject",
];

/// The names of `HIDDEN_NAMES` that are also English words.
const ENGLISH_WORDS: &[&str] = &["replace", "subject", "substr", "printf"];

/// The string literal (quotes `'` or `"`) that `s` starts with: its text, escapes left as
/// written, and its length with the quotes. `Err(n)` when it is not closed on its line (or
/// within `MAX_LITERAL` bytes): the `n` bytes scanned hold no literal start worth trying again,
/// so scanning goes on after them and stays linear.
fn literal(s: &str) -> Result<(&str, usize), usize> {
    let bytes = s.as_bytes();
    let Some(&quote) = bytes.first().filter(|&&q| q == b'\'' || q == b'"') else {
        return Err(1);
    };
    let mut i = 1;
    while i < bytes.len().min(MAX_LITERAL) {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Ok((s.get(1..i).unwrap_or_default(), i + 1)),
            b'\n' => return Err(i),
            _ => i += 1,
        }
    }
    Err(i.max(1))
}

const MAX_LITERAL: usize = 1 << 20;

static PIECES: LazyLock<Regex> = LazyLock::new(|| {
    // A string literal followed by `+` and another, or by `.replace(…, '')`, or a string
    // written with `\x41`/`\u0041` escapes.
    Regex::new(
        r#"['"]\s*\+\s*['"]|['"]\s*\.\s*replace\s*\(\s*['"/]|\\x[0-9A-Fa-f]{2}|\\u[0-9A-Fa-f]{4}"#,
    )
    .expect("valid pieces pattern")
});

/// `.replace(…, '')` right after a literal: characters of a class (`/[XYQJ]/g`) or a text
/// (`/HcjMI/g`, `"HcjMI"`) taken out.
static REPLACE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"^\s*\.\s*replace\s*\(\s*(?:/\[([^\]\\]{1,40})\]/g?|/([^/\\\[\]().*+?|^$]{1,40})/g?|'([^'\\]{1,40})'|"([^"\\]{1,40})")\s*,\s*(?:''|"")\s*\)"#,
    )
    .expect("valid replace pattern")
});

/// `\xNN` and `\uNNNN` escapes of a literal decoded (other escapes left as written); `None`
/// when it has none.
fn decode_escapes(text: &str) -> Option<String> {
    if !text.contains("\\x") && !text.contains("\\u") {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut decoded = false;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (digits, skip) = match after.as_bytes().first() {
            Some(b'x') => (after.get(1..3), 3),
            Some(b'u') => (after.get(1..5), 5),
            _ => (None, 0),
        };
        match digits
            .and_then(|d| u32::from_str_radix(d, 16).ok())
            .and_then(char::from_u32)
        {
            Some(c) => {
                out.push(c);
                decoded = true;
                rest = &after[skip..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    decoded.then_some(out)
}

/// What the script spells when its string pieces are put together: literals joined by `+`
/// (with comments and other variables' names between them left out), literals stripped by
/// `.replace(…, '')`, and literals written in `\x`/`\u` escapes. A name of `HIDDEN_NAMES` is
/// hidden when it only appears so: across the seam of two pieces (`'ev' + 'al'`), or in a piece
/// only once stripped or decoded. Prose joined for the reader (`'Enter the ' + 'subject'`)
/// has its words inside the pieces. Returns the names found, and the length of the longest
/// dense text built from literals.
fn assembled(script: &str) -> (Vec<&'static str>, usize) {
    let mut hidden: Vec<&'static str> = Vec::new();
    let mut longest = 0usize;
    let bytes = script.as_bytes();
    let mut i = 0;
    let mut joined = String::new();
    // Where each piece after the first starts in `joined`.
    let mut seams: Vec<usize> = Vec::new();
    let flush = |joined: &mut String,
                 seams: &mut Vec<usize>,
                 hidden: &mut Vec<&'static str>,
                 longest: &mut usize| {
        if !seams.is_empty() {
            let prose = joined.contains(' ');
            for name in HIDDEN_NAMES {
                // Words of English split where a long message was wrapped (`'please re' +
                // 'place'`) count only in text that is no prose.
                if hidden.contains(name) || (prose && ENGLISH_WORDS.contains(name)) {
                    continue;
                }
                let across = joined.match_indices(name).any(|(at, _)| {
                    let next = seams.partition_point(|&s| s <= at);
                    seams.get(next).is_some_and(|&s| s < at + name.len())
                });
                if across {
                    hidden.push(name);
                }
            }
        }
        if is_dense(joined) {
            *longest = (*longest).max(joined.len());
        }
        joined.clear();
        seams.clear();
    };
    let mut budget = MAX_ASSEMBLE_STEPS;
    while i < bytes.len() && budget > 0 {
        budget -= 1;
        let b = bytes[i];
        if b != b'\'' && b != b'"' {
            i += 1;
            continue;
        }
        let (text, len) = match literal(script.get(i..).unwrap_or_default()) {
            Ok(found) => found,
            Err(skip) => {
                flush(&mut joined, &mut seams, &mut hidden, &mut longest);
                i += skip;
                continue;
            }
        };
        i += len;
        let mut piece = decode_escapes(text).unwrap_or_else(|| text.to_string());
        let rest = script.get(i..).unwrap_or_default();
        if let Some(c) = REPLACE.captures(rest) {
            if let Some(class) = c.get(1) {
                piece.retain(|ch| !class.as_str().contains(ch));
            } else if let Some(junk) = c.get(2).or(c.get(3)).or(c.get(4)) {
                piece = piece.replace(junk.as_str(), "");
            }
            i += c.get(0).map_or(0, |m| m.end());
        }
        for name in HIDDEN_NAMES {
            if piece.contains(name) && !text.contains(name) && !hidden.contains(name) {
                hidden.push(name);
            }
        }
        if !joined.is_empty() {
            seams.push(joined.len());
        }
        joined.push_str(&piece);
        // Another piece follows after `+` (skipping comments and variables in between).
        let rest = script.get(i..).unwrap_or_default();
        let next = skip_joiners(rest);
        if next > 0
            && rest
                .as_bytes()
                .get(next)
                .is_some_and(|&q| q == b'\'' || q == b'"')
        {
            i += next;
        } else {
            flush(&mut joined, &mut seams, &mut hidden, &mut longest);
        }
    }
    flush(&mut joined, &mut seams, &mut hidden, &mut longest);
    (hidden, longest)
}

/// Whether text reads as encoded data rather than prose: hardly any spaces.
fn is_dense(text: &str) -> bool {
    let spaces = text.bytes().filter(|&b| b == b' ').count();
    spaces * 20 < text.len()
}

/// The length of the longest dense string literal of `script` (one pass, no joining).
fn longest_literal(script: &str) -> Option<usize> {
    let mut longest = None;
    let mut i = 0;
    let mut budget = MAX_ASSEMBLE_STEPS;
    while let Some(off) = script.get(i..).and_then(|r| r.find(['\'', '"'])) {
        budget = budget.checked_sub(1)?;
        i += off;
        match literal(script.get(i..).unwrap_or_default()) {
            Ok((text, len)) => {
                if is_dense(text) {
                    longest = longest.max(Some(text.len()));
                }
                i += len;
            }
            Err(skip) => i += skip,
        }
    }
    longest
}

/// Literals looked at per script, at most.
const MAX_ASSEMBLE_STEPS: usize = 4_000_000;

/// The length of what joins one literal to the next: white space, `+`, comments, and names of
/// variables added in between (`"e" + X + "v"`, `"e" /*c*/ + "v"`). 0 when no `+` is there.
fn skip_joiners(rest: &str) -> usize {
    let bytes = rest.as_bytes();
    let mut i = 0;
    let mut plus = false;
    while i < bytes.len() && i < 512 {
        match bytes[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'+' => {
                plus = true;
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match rest.get(i + 2..).and_then(|r| r.find("*/")) {
                    Some(end) => i += end + 4,
                    None => return 0,
                }
            }
            b if plus && (b.is_ascii_alphanumeric() || b == b'_' || b == b'$') => {
                // A variable between two `+`.
                let start = i;
                while i < bytes.len()
                    && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] == b'$')
                {
                    i += 1;
                }
                let after = rest.get(i..).unwrap_or_default().trim_start();
                if !after.starts_with('+') || i - start > 64 {
                    return 0;
                }
                plus = false;
            }
            _ => break,
        }
    }
    if plus { i } else { 0 }
}

/// Text built from string literals from which on it counts as a long encoded payload.
const LONG_BUILT: usize = 2_000;
/// Numbers in one list (`[37,115,…]`, `fromCharCode(102,117,…)`) from which on it is data.
const LONG_NUMBER_LIST: usize = 300;

/// Whether `script` has a list of `LONG_NUMBER_LIST` numbers or more, separated by commas (one
/// pass; a regular expression with that many repetitions is slow to build).
fn has_long_number_list(script: &str) -> bool {
    let mut run = 0usize;
    let mut digits = 0usize;
    for b in script.bytes() {
        match b {
            b'0'..=b'9' => {
                digits += 1;
                if digits > 5 {
                    run = 0;
                }
            }
            b',' if digits > 0 => {
                run += 1;
                digits = 0;
                if run >= LONG_NUMBER_LIST {
                    return true;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => {}
            _ => {
                run = 0;
                digits = 0;
            }
        }
    }
    false
}

/// The signs found in `script`, strongest-relevant first; empty when none.
pub fn signs(script: &str) -> Vec<&'static str> {
    let mut found: Vec<&'static str> = SIGNS
        .iter()
        .zip(COMPILED.iter())
        .filter(|(_, re)| re.is_match(script))
        .map(|(s, _)| s.name)
        .collect();
    if script.matches("fromCharCode").count() >= FROMCHARCODE_CHAIN {
        found.push("String.fromCharCode chain");
    }
    if junk_pairs(script) >= JUNK_PAIRS {
        found.push("junk statements from an obfuscator");
    }
    if INLINE_COMMENT
        .find_iter(script)
        .take(INLINE_COMMENTS)
        .count()
        >= INLINE_COMMENTS
    {
        found.push("comments inserted inside expressions");
    }
    if PIECES.is_match(script) {
        let (hidden, longest) = assembled(script);
        if !hidden.is_empty() {
            found.push("function names written in pieces");
        }
        if longest >= LONG_BUILT {
            found.push("long encoded string");
        }
    } else if let Some(longest) = longest_literal(script)
        && longest >= LONG_BUILT
    {
        found.push("long encoded string");
    }
    if !found.contains(&"long encoded string") && has_long_number_list(script) {
        found.push("long encoded string");
    }
    found
}

/// Signs found outside `SIGNS` that need another to count.
const WEAK: &[&str] = &[
    "long encoded string",
    "comments inserted inside expressions",
];

/// A comment between two parts of one expression (`"r" /*x*/ + "e"`, `i /*x*/ < 9`), not at a
/// line's end or on a line of its own: obfuscators sprinkle them to break up the words scanners
/// look for; people write comments beside code, not inside it, and minifiers remove them.
static INLINE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"[\w)\]'"][ \t]*/\*[^*\n]{0,80}\*/[ \t]*[\w('"+\-*/<>=,.]"#)
        .expect("valid inline comment pattern")
});
/// Inline comments from which on a script counts as broken up on purpose.
const INLINE_COMMENTS: usize = 10;

/// Whether the signs together say exploit: one strong sign, or two weak ones.
pub fn is_suspicious(signs: &[&str]) -> bool {
    let weight: u32 = signs
        .iter()
        .map(|name| {
            SIGNS.iter().find(|s| s.name == *name).map_or_else(
                || if WEAK.contains(name) { 1 } else { 2 },
                |s| u32::from(s.weight),
            )
        })
        .sum();
    weight >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exploit_kit_javascript_is_suspicious() {
        let js = r#"var sc = unescape("%u9090%u9090%u4141%u4141%u4242%u4242%u4343%u4343");
            var s = unescape("%u0c0c%u0c0c"); while (s.length < 0x40000) s += s;
            Collab.getIcon(s);"#;
        let found = signs(js);
        assert!(found.contains(&"%u shellcode run"), "{found:?}");
        assert!(found.contains(&"heap-spray pattern"), "{found:?}");
        assert!(found.contains(&"exploited reader API"), "{found:?}");
        assert!(is_suspicious(&found));
        let packed = "eval(String.fromCharCode(97,108,101,114,116))";
        assert!(is_suspicious(&signs(packed)));
        let launch = r#"this.exportDataObject({ cName: "a.exe", nLaunch: 2 });"#;
        assert_eq!(signs(launch), ["exportDataObject with nLaunch"]);
    }

    #[test]
    fn form_scripts_are_not() {
        for js in [
            "AFNumber_Format(2, 0, 0, 0, \"\", true);",
            "event.value = this.getField('a').value + this.getField('b').value;",
            "app.alert('Please fill in your name');",
            "var d = util.printd('yyyy/mm/dd', new Date());",
        ] {
            assert!(signs(js).is_empty(), "{js}");
        }
        // One weak sign alone is not enough.
        assert!(!is_suspicious(&signs("var x = eval(expr);")));
        assert!(!is_suspicious(&signs("var f = String[name];")));
        // A few counters set and stepped are ordinary code.
        assert!(signs("i=0;i++;j=10;j--;total=0;total+=5;").is_empty());
        // eval called, or a name that merely contains it, is not eval passed around.
        assert!(!signs("retrieval = 1; medieval(x);").contains(&"eval passed as a value"));
    }

    /// Issue 17: the loaders that hid their calls: names written in pieces (`'ev' + 'al'`,
    /// `'sub' + x + 'ject'`, `'fYQXrJoQXJm…'.replace(/[XYQJ]/g, '')`), the payload read from an
    /// annotation or a document property, a long encoded string.
    #[test]
    fn names_in_pieces_hidden_payloads_and_encoded_strings_are_signs() {
        let pieces =
            "var th = this; var e = app['ev' + 'al']; var s = p[0]['sub' + /*x*/ '' + 'ject'];";
        let found = signs(pieces);
        assert!(
            found.contains(&"function names written in pieces"),
            "{found:?}"
        );
        assert!(is_suspicious(&found));
        let replaced =
            "f = String['fYQXrJoQXJmJCXhJJUaXYQrJQXYCYYoJQXJdJXeZ'.replace(/[XZYUQJ]/g,'')];";
        assert!(signs(replaced).contains(&"function names written in pieces"));
        let info = "var k = this.info.title; var d = unescape(k);";
        assert!(is_suspicious(&signs(info)), "{:?}", signs(info));
        let annots = "app.doc.syncAnnotScan(); var p = app.doc.getAnnots({nPage: 0}); app[fnc](p[1].subject);";
        assert!(is_suspicious(&signs(annots)), "{:?}", signs(annots));
        let blob = format!(
            "var d = '{}'; var x = eval(d.replace(/Q/g, ''));",
            "a1Q%".repeat(600)
        );
        let found = signs(&blob);
        assert!(found.contains(&"long encoded string"), "{found:?}");
        assert!(is_suspicious(&found));
        // One long string alone is not enough.
        assert!(!is_suspicious(&signs(&format!(
            "var d = '{}';",
            "a1b2".repeat(600)
        ))));
        let numbers = format!("var a = [{}0];", "37,115,100,".repeat(120));
        assert!(signs(&numbers).contains(&"long encoded string"));
        // Junk taken out of a literal by a text, names written as escape codes.
        for stripped in [
            r#"g = "evHcjMIal".replace("HcjMI","");"#,
            r#"g = 'unHcjMIescHcjMIape'.replace(/HcjMI/g, '');"#,
        ] {
            assert!(
                signs(stripped).contains(&"function names written in pieces"),
                "{stripped}"
            );
        }
        // Code handed over in pieces: the seams run through its function names.
        let code = r#"f("GFW" + "PYM4 +" + "=String" + ".fr" + "omCharCo" + "de(p);");"#;
        assert!(signs(code).contains(&"function names written in pieces"));
        let escaped = r#"app["\x65\x76\x61\x6c"](s);"#;
        assert!(is_suspicious(&signs(escaped)), "{:?}", signs(escaped));
        // Comments sprinkled inside expressions, and a method looked up by a computed name.
        let sprinkled = format!(
            "{} util[f](a, new Date());",
            (0..12)
                .map(|i| format!("x{i} = \"r\" /*lFvA*/ + y /*lFvA*/;"))
                .collect::<String>()
        );
        let found = signs(&sprinkled);
        assert!(
            found.contains(&"comments inserted inside expressions"),
            "{found:?}"
        );
        assert!(is_suspicious(&found), "{found:?}");
    }

    /// Unclosed strings full of escaped quotes do not make the piece scan quadratic (it would
    /// take minutes on this input); and odd input does not panic.
    #[test]
    fn hostile_strings_are_scanned_in_one_pass() {
        let escaped = format!("x = \"{}", "\\\"".repeat(100_000));
        let _ = signs(&escaped);
        let mixed = format!("a = '{}' + \"", "\"'".repeat(50_000));
        let _ = signs(&mixed);
        for odd in [
            "'",
            "\"",
            "'\\",
            "'a' +",
            "'a' + /*",
            "'é' + 'ü'.replace(/[",
            "x['ev'+",
        ] {
            let _ = signs(odd);
        }
    }

    #[test]
    fn form_scripts_joining_text_are_not_names_in_pieces() {
        for js in [
            "app.alert('Total: ' + t.value + ' yen');",
            "this.getField('Text' + i).value = 'a' + 'b';",
            "var msg = 'Please fill in ' + 'your name and ' + 'address';",
            "app.alert('Enter the ' + 'subject' + ' of your request');",
            "var t = 'Please re' + 'place the ' + 'form'; var v = '\\x41\\u00e9';",
            "this.print({bUI: true /* ask */, bSilent: false /* show */});",
            "event.value = util.printd('yyyy/mm/dd', d) + ' (' + 'approx.' + ')';",
        ] {
            assert!(signs(js).is_empty(), "{js}: {:?}", signs(js));
        }
        // Long prose is not an encoded string.
        let prose = format!(
            "app.alert('{}');",
            "Please read the terms before you sign. ".repeat(80)
        );
        assert!(signs(&prose).is_empty());
    }

    /// The obfuscation of the XFA exploit kits of 2010–11 (CVE-2010-0188): eval handed around
    /// as a value, names computed at run time, thousands of junk statements.
    #[test]
    fn obfuscated_loaders_are_suspicious() {
        let hidden_eval = "var oxz = function(){return {e:eval}}().e; var va = 'fro'+h+'arCode'; \
                           pfq = String[va]; oxz(s);";
        let found = signs(hidden_eval);
        assert!(found.contains(&"eval passed as a value"), "{found:?}");
        assert!(
            found.contains(&"method name computed at run time"),
            "{found:?}"
        );
        assert!(is_suspicious(&found));
        let padded: String = (0..40)
            .map(|i| format!("v{}={};v{}+=0.0{};", i % 9, 1000 + i, i % 9, i + 1))
            .collect::<String>()
            + "w=elm[b][n]();";
        let found = signs(&padded);
        assert_eq!(found, ["junk statements from an obfuscator"]);
        assert!(is_suspicious(&found));
    }
}
