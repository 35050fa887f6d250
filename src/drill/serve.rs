//! `drill serve`: the landing page. `GET /t/<token>` records the click and answers at once with
//! the debrief of the very lure that was clicked: "this was a drill; here is what should have
//! warned you". Unknown tokens get a plain 404 that says nothing about the campaign.

use super::store::{Click, Store};
use super::{DrillError, Generated, scenario};
use crate::{Engine, Lang};
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::sync::{Arc, Mutex};

/// What the server needs: the manifest (tokens), the engine (to explain the lure) and the store.
pub struct Served {
    pub generated: Generated,
    pub engine: Engine,
    pub store: Mutex<Store>,
}

/// The routes: `/t/{token}` and a 404 for everything else.
pub fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route("/t/{token}", get(click))
        .fallback(not_found)
        .with_state(served)
}

/// Serves on an already bound listener until Ctrl-C / SIGTERM (or for ever, in tests).
pub fn serve(listener: std::net::TcpListener, served: Arc<Served>) -> Result<(), DrillError> {
    let io = |e: std::io::Error| DrillError::Io(format!("drill serve: {e}"));
    listener.set_nonblocking(true).map_err(io)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(io)?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(listener, router(served))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
    })
    .map_err(io)
}

/// Security headers for every page: nothing may load, run or be framed.
fn page(status: StatusCode, html: String) -> Response {
    let mut resp = (status, Html(html)).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    resp
}

async fn not_found() -> Response {
    page(StatusCode::NOT_FOUND, not_found_html())
}

fn not_found_html() -> String {
    shell(
        Lang::En,
        "404",
        "<main><h1>404 Not Found / ページが見つかりません</h1></main>",
    )
}

fn is_token(s: &str) -> bool {
    s.len() == 24
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

async fn click(
    State(served): State<Arc<Served>>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> Response {
    let entry = if is_token(&token) {
        served.generated.entry(&token)
    } else {
        None
    };
    let Some(entry) = entry else {
        return not_found().await;
    };
    let user_agent = headers
        .get(header::USER_AGENT)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let clicked = Click {
        token: entry.token.clone(),
        email: entry.email.clone(),
        scenario: entry.scenario.clone(),
        department: entry.department.clone(),
        clicked_at: now(),
        user_agent,
    };
    let recorded = match served.store.lock() {
        Ok(store) => store.record(&served.generated.manifest.campaign, &clicked),
        Err(_) => Err(DrillError::Db("store lock poisoned".into())),
    };
    if let Err(e) = recorded {
        // The person still deserves the explanation; the administrator sees the error.
        eprintln!("lurescreen: drill serve: could not record a click: {e}");
    }
    let scenario = scenario::find(&entry.scenario);
    let lang = match scenario {
        Some(s) if !s.is_ja() => Lang::En,
        Some(_) => Lang::Ja,
        None => Lang::En,
    };
    let html = match served.generated.raw(entry) {
        Ok(raw) => debrief_html(&served.engine, &raw, scenario, lang),
        Err(e) => {
            eprintln!("lurescreen: drill serve: {e}");
            debrief_html(&served.engine, b"", scenario, lang)
        }
    };
    page(StatusCode::OK, html)
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn esc(s: &str) -> String {
    html_escape::encode_text(s).into_owned()
}

const STYLE: &str = r#"
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f3f4f6; color: #1f2937;
  font-family: "Hiragino Sans", "Noto Sans CJK JP", "Noto Sans JP", "Yu Gothic", Meiryo, system-ui, sans-serif;
  line-height: 1.7; }
main { max-width: 780px; margin: 32px auto; padding: 0 16px; }
.banner { background: #fff7e6; border: 2px solid #f59e0b; border-radius: 12px; padding: 20px 24px; }
.banner h1 { margin: 0 0 6px; font-size: 1.6rem; color: #92400e; }
.banner p { margin: 4px 0; }
section { background: #fff; border-radius: 12px; padding: 18px 24px; margin-top: 18px;
  box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h2 { font-size: 1.15rem; margin: 0 0 10px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid #e5e7eb;
  overflow-wrap: anywhere; }
th { width: 28%; color: #4b5563; font-weight: 600; }
code { background: #f3f4f6; padding: 1px 4px; border-radius: 4px; overflow-wrap: anywhere; }
.point { border-left: 4px solid #dc2626; padding: 4px 0 4px 14px; margin: 14px 0; }
.point h3 { margin: 0; font-size: 1rem; }
.ipa { display: inline-block; background: #fee2e2; color: #991b1b; border-radius: 999px;
  padding: 0 10px; font-size: .8rem; margin-bottom: 4px; }
.explain { margin: 6px 0 0; color: #374151; }
.real { color: #b91c1c; font-weight: 600; }
ol { margin: 0; padding-left: 1.4em; }
footer { color: #6b7280; font-size: .85rem; margin: 18px 4px; }
"#;

fn shell(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"robots\" content=\"noindex\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        lang.as_str(),
        esc(title)
    )
}

/// Escapes `text`, showing the parts reasons quote in backticks as code.
fn code_spans(text: &str) -> String {
    let parts: Vec<&str> = text.split('`').collect();
    if parts.len().is_multiple_of(2) {
        // An unmatched backtick: show the text as it is.
        return esc(text);
    }
    parts
        .iter()
        .enumerate()
        .map(|(n, p)| {
            if n % 2 == 1 {
                format!("<code>{}</code>", esc(p))
            } else {
                esc(p)
            }
        })
        .collect()
}

/// Makes a URL harmless to show: `https://a.example/x` → `hxxps://a[.]example/x`.
fn defang(url: &str) -> String {
    let host_end = url.find("://").map_or(0, |n| n + 3);
    let (scheme, rest) = url.split_at(host_end.min(url.len()));
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    format!(
        "{}{}{}",
        scheme.replacen("http", "hxxp", 1),
        host.replace('.', "[.]"),
        path
    )
}

/// The debrief page for one lure: the drill banner, the message as it really was, and each point
/// that should have warned the reader, in the words of the rule's staff explanation.
///
/// The one place the page is made, so it can be switched to `crate::explain` once that exists.
fn debrief_html(
    engine: &Engine,
    raw: &[u8],
    scenario: Option<&scenario::Scenario>,
    lang: Lang,
) -> String {
    let t = |en: &'static str, ja: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut body = String::from("<main>\n<div class=\"banner\">\n");
    body.push_str(&format!(
        "<h1>{}</h1>\n<p>{}</p>\n<p>{}</p>\n</div>\n",
        t(
            "This was a security drill",
            "これは標的型攻撃メールの訓練でした"
        ),
        t(
            "Nothing has happened to your computer or your account: this link only told us the drill mail was opened. Real attackers use exactly this kind of mail.",
            "ご安心ください。パソコンやアカウントには何も起きていません。このリンクは訓練メールが開かれたことを記録しただけです。実際の攻撃者はこれと同じようなメールを送ってきます。"
        ),
        t(
            "Below: the mail you received, and what should have warned you.",
            "以下は、あなたが受け取ったメールと、気付くべきだったポイントです。"
        ),
    ));
    let msg = crate::message::parse(raw, &engine.config().limits);
    let report = engine.scan(raw).ok();
    if let Some(msg) = &msg {
        body.push_str(&format!(
            "<section>\n<h2>{}</h2>\n<table>\n",
            t("The mail you received", "受け取ったメール")
        ));
        if let Some(s) = scenario {
            body.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                t("Drill", "訓練の内容"),
                esc(s.title(lang))
            ));
        }
        for mb in &msg.from {
            body.push_str(&format!(
                "<tr><th>{}</th><td>{}<br><span class=\"real\">{}</span> <code>{}</code></td></tr>\n",
                t("From (as shown)", "差出人（表示名）"),
                esc(mb.name.as_deref().unwrap_or("")),
                t("real address:", "実際のアドレス："),
                esc(mb.address.as_deref().unwrap_or(""))
            ));
        }
        if let Some(subject) = &msg.subject {
            body.push_str(&format!(
                "<tr><th>{}</th><td>{}</td></tr>\n",
                t("Subject", "件名"),
                esc(subject)
            ));
        }
        // Each destination once, with the text shown for it when some part shows one.
        let mut links: Vec<(&str, &str)> = Vec::new();
        for link in &msg.links {
            let text = link.text.as_deref().unwrap_or("").trim();
            match links.iter_mut().find(|(_, href)| *href == link.href) {
                Some(l) if l.0.is_empty() => l.0 = text,
                Some(_) => {}
                None => links.push((text, &link.href)),
            }
        }
        for (text, href) in links.into_iter().take(10) {
            body.push_str(&format!(
                "<tr><th>{}</th><td>{} <code>{}</code><br><span class=\"real\">{}</span> <code>{}</code></td></tr>\n",
                t("Link", "リンク"),
                t("shows", "表示："),
                esc(if text.is_empty() { "—" } else { text }),
                t("really goes to", "実際の行き先："),
                esc(&defang(href))
            ));
        }
        for a in msg.attachments.iter().filter(|a| a.depth == 0) {
            body.push_str(&format!(
                "<tr><th>{}</th><td><code>{}</code> ({})</td></tr>\n",
                t("Attachment", "添付ファイル"),
                esc(a.name.as_deref().unwrap_or("")),
                esc(&a.content_type)
            ));
        }
        body.push_str("</table>\n</section>\n");
    }
    body.push_str(&format!(
        "<section>\n<h2>{}</h2>\n",
        t("What should have warned you", "気付くべきだったポイント")
    ));
    let sigs = engine.signatures();
    let mut seen = Vec::new();
    for f in report.iter().flat_map(|r| r.findings.iter()) {
        if seen.contains(&f.rule) {
            continue;
        }
        seen.push(f.rule.clone());
        let point = sigs
            .ipa_points
            .get(&f.ipa)
            .map(|p| if lang == Lang::Ja { &p.ja } else { &p.en });
        let explain = sigs
            .rule(&f.rule)
            .map(|r| crate::signatures::fill_template(r.explain_template(lang), &f.evidence))
            .unwrap_or_default();
        body.push_str("<div class=\"point\">\n");
        if let Some(p) = point {
            body.push_str(&format!("<span class=\"ipa\">{}</span>\n", esc(p)));
        }
        body.push_str(&format!(
            "<h3>{}</h3>\n<p class=\"explain\">{}</p>\n</div>\n",
            code_spans(f.reason(lang)),
            esc(&explain).replace('\n', if lang == Lang::Ja { "" } else { " " })
        ));
    }
    if seen.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>\n",
            t(
                "(The explanation could not be prepared; ask the drill team.)",
                "（説明を用意できませんでした。訓練の担当者にお問い合わせください。）"
            )
        ));
    }
    body.push_str("</section>\n");
    body.push_str(&format!(
        "<section>\n<h2>{}</h2>\n<ol>\n<li>{}</li>\n<li>{}</li>\n<li>{}</li>\n</ol>\n</section>\n",
        t("Next time", "次に同じようなメールが届いたら"),
        t(
            "Look at the real sender address, not only the name shown.",
            "表示名だけでなく、実際の差出人アドレスを確かめる。"
        ),
        t(
            "Before clicking, check where a link really goes; open known sites from your bookmarks.",
            "クリックする前にリンクの本当の行き先を確かめる。よく使うサイトはブックマークから開く。"
        ),
        t(
            "When in doubt, do not reply to the mail: ask the IT department through a contact you already know.",
            "迷ったらメールには返信せず、既に知っている連絡先で情報システム部門に相談する。"
        ),
    ));
    body.push_str(&format!(
        "<footer>{}</footer>\n</main>",
        t(
            "This page was shown by the organisation's security drill (lurescreen).",
            "このページは組織のセキュリティ訓練（lurescreen）が表示しています。"
        )
    ));
    shell(lang, t("Security drill", "セキュリティ訓練"), &body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_lower_hex_of_the_right_length() {
        assert!(is_token("0123456789abcdef01234567"));
        assert!(!is_token("0123456789ABCDEF01234567"));
        assert!(!is_token("../../etc/passwd"));
        assert!(!is_token(""));
    }

    #[test]
    fn quoted_parts_of_reasons_become_code() {
        assert_eq!(
            code_spans("from `a<b>` to `c`"),
            "from <code>a&lt;b&gt;</code> to <code>c</code>"
        );
        assert_eq!(code_spans("odd ` tick"), "odd ` tick");
    }

    #[test]
    fn urls_are_defanged() {
        assert_eq!(
            defang("https://a.example.net/t/x.y"),
            "hxxps://a[.]example[.]net/t/x.y"
        );
        assert_eq!(defang("no-scheme.example"), "no-scheme[.]example");
    }

    #[test]
    fn the_debrief_escapes_what_the_message_says() {
        let engine = crate::drill::engine(&[], crate::Signatures::embedded().unwrap());
        let raw = b"From: \"<script>alert(1)</script> Bank\" <x@gmail.com>\r\nSubject: <b>hi</b>\r\n\r\n<img src=x>";
        let html = debrief_html(&engine, raw, None, Lang::En);
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>hi"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
