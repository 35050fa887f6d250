//! Windows shortcuts (`.lnk`): what they start, with which arguments, under which icon. A
//! shortcut in a mail is the classic lure: it shows a document's name and icon and runs
//! `powershell -enc …` when opened. The reader (`formats::lnk`) gives what the shortcut says;
//! this check judges it.

use super::display_name;
use crate::checks::Context;
use crate::finding::Finding;
use crate::formats::lnk::{SW_SHOWMINNOACTIVE, Shortcut, parse, u32_at};

/// Bytes after the last structure that count as a payload carried in the shortcut.
const APPENDED_MIN: usize = 1024;
/// Arguments at least this long are reported as long (real shortcuts pass a few flags).
const LONG_ARGUMENTS: usize = 512;
/// Characters of a command line kept in evidence.
const SHOWN_ARGUMENTS: usize = 400;

/// The last component of a Windows path, lower-cased.
fn base_name(path: &str) -> String {
    let path = path.trim().trim_matches('"');
    path.rsplit(['\\', '/'])
        .next()
        .unwrap_or(path)
        .trim()
        .to_lowercase()
}

/// An icon location's file, with the `,index` some writers append removed.
fn icon_file(icon: &str) -> String {
    let base = base_name(icon);
    match base.rsplit_once(',') {
        Some((file, index)) if index.trim().parse::<i32>().is_ok() => file.trim().to_string(),
        _ => base,
    }
}

fn extension(name: &str) -> Option<&str> {
    name.rsplit_once('.')
        .map(|(_, e)| e)
        .filter(|e| !e.is_empty())
}

/// A reason, in English and Japanese.
type Why = (String, String);

/// Why an argument line looks like an attack rather than a program option.
fn argument_signs(args: &str) -> Vec<Why> {
    let mut signs: Vec<Why> = Vec::new();
    let lower = args.to_lowercase();
    let leading = args.chars().take_while(|c| c.is_whitespace()).count();
    if leading >= 32 {
        signs.push((
            format!("{leading} leading blanks push the command out of the Properties box"),
            format!("先頭の {leading} 個の空白でコマンドをプロパティ画面の外へ押し出している"),
        ));
    }
    let len = args.chars().count();
    if len >= LONG_ARGUMENTS {
        signs.push((
            format!("arguments {len} characters long"),
            format!("引数が {len} 文字と長い"),
        ));
    }
    let longest_b64 = args
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '/' || c == '='))
        .map(str::len)
        .max()
        .unwrap_or(0);
    if longest_b64 >= 100 {
        signs.push((
            format!("a base64 string of {longest_b64} characters"),
            format!("{longest_b64} 文字の base64 文字列"),
        ));
    }
    for (needle, en, ja) in [
        ("http://", "a web address", "Web アドレス"),
        ("https://", "a web address", "Web アドレス"),
        ("\\\\", "a network path", "ネットワーク上のパス"),
        ("davwwwroot", "a WebDAV path", "WebDAV のパス"),
        (
            "-enc",
            "an encoded PowerShell command",
            "エンコードされた PowerShell コマンド",
        ),
        (
            " -e ",
            "an encoded PowerShell command",
            "エンコードされた PowerShell コマンド",
        ),
        ("frombase64string", "base64 decoding", "base64 のデコード"),
        ("iex", "Invoke-Expression", "Invoke-Expression"),
        (
            "invoke-expression",
            "Invoke-Expression",
            "Invoke-Expression",
        ),
        ("downloadstring", "a download", "ダウンロード"),
        ("downloadfile", "a download", "ダウンロード"),
        ("invoke-webrequest", "a download", "ダウンロード"),
        ("iwr ", "a download", "ダウンロード"),
        ("start-bitstransfer", "a download", "ダウンロード"),
        ("-w hidden", "a hidden window", "非表示のウィンドウ"),
        (
            "-windowstyle hidden",
            "a hidden window",
            "非表示のウィンドウ",
        ),
        ("bypass", "an execution-policy bypass", "実行ポリシーの回避"),
        ("javascript:", "inline script", "埋め込みスクリプト"),
        ("vbscript:", "inline script", "埋め込みスクリプト"),
        ("%comspec%", "%COMSPEC%", "%COMSPEC%"),
        ("mshta", "mshta", "mshta"),
        (
            "findstr",
            "findstr (reads a payload out of a file)",
            "findstr（ファイルから不正なデータを取り出す）",
        ),
    ] {
        if lower.contains(needle) && !signs.iter().any(|(e, _)| e == en) {
            signs.push((en.to_string(), ja.to_string()));
        }
    }
    if args.matches('^').count() >= 5 {
        signs.push((
            "caret-obfuscated cmd syntax".into(),
            "キャレット (^) で難読化した cmd 構文".into(),
        ));
    }
    signs
}

fn shorten(s: &str, max: usize) -> String {
    let trimmed = s.trim();
    match trimmed.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None => trimmed.to_string(),
    }
}

/// The findings for every shortcut among the attachments (whatever its name: the sniffed type
/// decides).
pub fn check(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    for att in &ctx.msg.attachments {
        if let Some(lnk) = parse(&att.data) {
            out.extend(findings(ctx, att, &lnk));
        }
    }
}

fn findings(ctx: &Context<'_>, att: &crate::message::Attachment, lnk: &Shortcut) -> Vec<Finding> {
    let lists = &ctx.signatures.lists;
    let file = display_name(att);
    let at = att.location.as_str();
    let target = lnk.target().unwrap_or("-").to_string();
    let args = lnk.arguments();
    let shown_args = if args.trim().is_empty() {
        "-".to_string()
    } else {
        shorten(args, SHOWN_ARGUMENTS)
    };
    let mut out = Vec::new();

    // What it runs: a listed program, or a script file Windows hands to a script host.
    let mut why: Vec<Why> = Vec::new();
    let mut program_target = false;
    for t in lnk.targets() {
        let base = base_name(t);
        let stem = base.strip_suffix(".exe").unwrap_or(&base);
        let ext = extension(&base).unwrap_or("");
        let reason = if lists.shortcut_programs.contains(stem) {
            program_target = true;
            Some((format!("it starts {base}"), format!("{base} を起動する")))
        } else if lists.program_extensions.contains(ext) {
            program_target = true;
            (!matches!(ext, "exe" | "dll" | "msi" | "com")).then(|| {
                (
                    format!("it runs the script {base}"),
                    format!("スクリプト {base} を実行する"),
                )
            })
        } else {
            None
        };
        if let Some(r) = reason
            && !why.contains(&r)
        {
            why.push(r);
        }
    }
    why.extend(argument_signs(args));
    if !why.is_empty() {
        if lnk.show_command == SW_SHOWMINNOACTIVE {
            why.push((
                "in a minimised window".into(),
                "最小化したウィンドウで".into(),
            ));
        }
        let en: Vec<&str> = why.iter().map(|(e, _)| e.as_str()).collect();
        let ja: Vec<&str> = why.iter().map(|(_, j)| j.as_str()).collect();
        out.push(
            Finding::new("ATTACH_LNK_COMMAND", at)
                .with("file", file.clone())
                .with("target", target.clone())
                .with("arguments", shown_args.clone())
                .with("why_en", en.join("; "))
                .with("why_ja", ja.join("、")),
        );
    }

    // The icon of a document over a program.
    if program_target {
        let targets: Vec<String> = lnk.targets().iter().map(|t| base_name(t)).collect();
        let disguise = lnk.icons().into_iter().find(|icon| {
            let file = icon_file(icon);
            let by_ext =
                extension(&file).is_some_and(|e| lists.document_icon_extensions.contains(e));
            (by_ext || lists.document_icons.contains(&file)) && !targets.contains(&file)
        });
        if let Some(icon) = disguise {
            out.push(
                Finding::new("ATTACH_LNK_DOCUMENT_ICON", at)
                    .with("file", file.clone())
                    .with("icon", format!("{},{}", icon.trim(), lnk.icon_index))
                    .with("target", target.clone()),
            );
        }
    }

    // A target or an icon fetched from another machine: the fullest such path.
    let remote = lnk
        .targets()
        .into_iter()
        .chain(lnk.icons())
        .chain(lnk.working_dir.as_deref())
        .filter(|p| is_remote(p))
        .max_by_key(|p| p.trim().len());
    if let Some(path) = remote {
        out.push(
            Finding::new("ATTACH_LNK_REMOTE", at)
                .with("file", file.clone())
                .with("path", path.trim()),
        );
    }

    // A payload carried after the shortcut's last structure.
    let appended = att.data.len().saturating_sub(lnk.end);
    if !lnk.truncated && appended >= APPENDED_MIN {
        let tail = att.data.get(lnk.end..).unwrap_or_default();
        out.push(
            Finding::new("ATTACH_LNK_APPENDED_DATA", at)
                .with("file", file.clone())
                .with("bytes", appended.to_string())
                .with("kind", appended_kind(tail)),
        );
    }

    if out.is_empty() {
        out.push(
            Finding::new("ATTACH_LNK_TARGET", at)
                .with("file", file)
                .with("target", target)
                .with("arguments", shown_args),
        );
    }
    out
}

/// A UNC path (`\\host\share`) or a URL.
fn is_remote(path: &str) -> bool {
    let p = path.trim().trim_matches('"').to_lowercase();
    p.starts_with("\\\\") || p.starts_with("//") || p.contains("://")
}

/// What data appended to a shortcut is: its sniffed type, or that of a program found in it.
fn appended_kind(tail: &[u8]) -> String {
    let sniffed = crate::formats::sniff::sniff(tail);
    if sniffed.risk() > crate::formats::sniff::Risk::Inert {
        return sniffed.label();
    }
    match crate::formats::bytes::find(tail, b"MZ").filter(|&i| {
        let h = tail.get(i..).unwrap_or_default();
        u32_at(h, 0x3C)
            .and_then(|o| h.get(o as usize..o as usize + 4))
            .is_some_and(|pe| pe == b"PE\0\0")
    }) {
        Some(i) => format!("contains a Windows executable (PE) at byte {i}"),
        None => sniffed.label(),
    }
}

#[cfg(test)]
mod tests;
