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

/// The debrief page for one lure: the drill banner, then the staff explanation of the very lure
/// (`crate::explain`: the message as it really was, each point that should have warned the
/// reader, with its IPA point), then what to do next time.
fn debrief_html(
    engine: &Engine,
    raw: &[u8],
    scenario: Option<&scenario::Scenario>,
    lang: Lang,
) -> String {
    let t = |en: &'static str, ja: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut banner = format!(
        "<div style=\"{BANNER}\">\n<h1 style=\"margin:0 0 6px;font-size:1.6rem;color:#92400e\">{}</h1>\n<p style=\"margin:4px 0\">{}</p>\n",
        t(
            "This was a security drill",
            "これは標的型攻撃メールの訓練でした"
        ),
        t(
            "Nothing has happened to your computer or your account: this link only told us the drill mail was opened. Real attackers use exactly this kind of mail.",
            "ご安心ください。パソコンやアカウントには何も起きていません。このリンクは訓練メールが開かれたことを記録しただけです。実際の攻撃者はこれと同じようなメールを送ってきます。"
        ),
    );
    if let Some(s) = scenario {
        banner.push_str(&format!(
            "<p style=\"margin:4px 0\"><b>{}</b> {}</p>\n",
            t("This drill:", "今回の訓練："),
            esc(s.title(lang))
        ));
    }
    banner.push_str(&format!(
        "<p style=\"margin:4px 0\">{}</p>\n</div>\n",
        t(
            "Below: the mail you received, shown safely, and what should have warned you.",
            "以下は、あなたが受け取ったメール（安全な形で表示）と、気付くべきだったポイントです。"
        )
    ));
    let next = format!(
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
    );
    match crate::explain::explain(engine, raw) {
        Ok(explanation) => {
            let mut page = crate::explain::render_html(&explanation, lang);
            // The verdict box speaks of mail held by the filter; a drill lure was delivered on
            // purpose, so the drill banner takes its place.
            if let Some(start) = page.find("<div class=\"verdict")
                && let Some(len) = page.get(start..).and_then(|rest| rest.find("</div></div>"))
            {
                page.replace_range(start..start + len + "</div></div>".len(), "");
            }
            // The banner goes first in <main>, the advice before the footer.
            let page = page.replacen("<main>", &format!("<main>\n{banner}"), 1);
            match page.rfind("<footer>") {
                Some(at) => format!("{}{next}{}", &page[..at], &page[at..]),
                None => page,
            }
        }
        Err(_) => shell(
            lang,
            t("Security drill", "セキュリティ訓練"),
            &format!(
                "<main>\n{banner}<section><p>{}</p></section>\n{next}</main>",
                t(
                    "(The explanation could not be prepared; ask the drill team.)",
                    "（説明を用意できませんでした。訓練の担当者にお問い合わせください。）"
                )
            ),
        ),
    }
}

/// Style of the drill banner (inline: the explanation page brings its own style sheet).
const BANNER: &str = "background:#fff7e6;border:2px solid #f59e0b;border-radius:12px;padding:20px 24px;margin-bottom:18px;color:#1f2937";

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
