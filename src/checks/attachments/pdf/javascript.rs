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
        name: "eval of decoded text",
        weight: 2,
        pattern: r"\beval\s*\(\s*(?:unescape|String\.fromCharCode|atob|decodeURIComponent)\b",
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
        pattern: r"Collab\s*\.\s*(?:collectEmailInfo|getIcon)|util\s*\.\s*printf\s*\(\s*['\x22]%\d{3,}|media\s*\.\s*newPlayer\s*\(\s*null|spell\s*\.\s*customDictionaryOpen",
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
        pattern: r"[:=,(\[]\s*eval\s*[,;})\]]",
    },
    Sign {
        // `String[name]` with a name computed at run time (`'fro'+h+'arCode'`).
        name: "method name computed at run time",
        weight: 1,
        pattern: r"\bString\s*\[\s*[A-Za-z_$]",
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
    found
}

/// Whether the signs together say exploit: one strong sign, or two weak ones.
pub fn is_suspicious(signs: &[&str]) -> bool {
    let weight: u32 = signs
        .iter()
        .map(|name| {
            SIGNS
                .iter()
                .find(|s| s.name == *name)
                .map_or(2, |s| u32::from(s.weight))
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
