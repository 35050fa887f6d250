//! `drill serve`: the landing page. `GET /t/<token>` records the click and answers at once with
//! the debrief of the very lure that was clicked: "this was a drill; here is what should have
//! warned you". Unknown tokens get a plain 404 that says nothing about the campaign.

use super::recorder::Recorder;
use super::store::Click;
use super::{DrillError, Generated, scenario};
use crate::{Engine, Lang};
use axum::Router;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What the server needs: the manifest (tokens), the engine (to explain the lure) and the click
/// recorder.
pub struct Served {
    pub generated: Generated,
    pub engine: Engine,
    pub recorder: Recorder,
    /// The debrief language for people whose manifest entry names none (`--lang`); `None`: the
    /// language of the scenario clicked.
    pub lang: Option<Lang>,
}

/// The debrief's language: the person's (recipient list, else campaign), else the server's
/// `--lang`, else the scenario's.
pub fn debrief_lang(
    entry: &super::Entry,
    server: Option<Lang>,
    scenario: Option<&scenario::Info>,
) -> Lang {
    match entry.lang.as_str() {
        "ja" => return Lang::Ja,
        "en" => return Lang::En,
        _ => {}
    }
    if let Some(l) = server {
        return l;
    }
    match scenario {
        Some(s) if s.is_ja() => Lang::Ja,
        _ => Lang::En,
    }
}

/// Limits on connections: what a client that sends nothing, sends slowly or never reads can hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Time to send a request's header, from the connection's start or the end of the previous
    /// answer (so also how long an idle keep-alive connection stays open).
    pub header_timeout: Duration,
    /// A connection is closed this long after it opened, whatever it is doing (slow bodies,
    /// clients that do not read the answer).
    pub lifetime: Duration,
    /// Connections served at once; further ones get `503` and are closed.
    pub max_connections: usize,
    /// After SIGTERM/SIGINT, how long answers under way may take before the server exits anyway.
    pub grace: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            lifetime: Duration::from_secs(120),
            max_connections: 512,
            grace: Duration::from_secs(5),
        }
    }
}

/// The routes: `/t/{token}` and a 404 for everything else.
pub fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route("/t/{token}", get(click))
        .fallback(not_found)
        .with_state(served)
}

/// Serves on an already bound listener until SIGTERM or SIGINT; `ready` is called once the
/// signal handlers are in place (the CLI prints its "listening" line then). Answers under way
/// finish; then the queued clicks are stored and the server returns.
pub fn serve(
    listener: std::net::TcpListener,
    served: Arc<Served>,
    limits: Limits,
    ready: impl FnOnce(),
) -> Result<(), DrillError> {
    let io = |e: std::io::Error| DrillError::Io(format!("drill serve: {e}"));
    let rt = runtime().map_err(io)?;
    rt.block_on(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let mut term = signal(SignalKind::terminate())?;
        let mut int = signal(SignalKind::interrupt())?;
        ready();
        let stop = async move {
            tokio::select! {
                _ = term.recv() => {}
                _ = int.recv() => {}
            }
        };
        run(listener, served, limits, stop).await
    })
    .map_err(io)
}

/// Like [`serve`], until `stop` completes (tests).
pub fn serve_until(
    listener: std::net::TcpListener,
    served: Arc<Served>,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), DrillError> {
    let io = |e: std::io::Error| DrillError::Io(format!("drill serve: {e}"));
    runtime()
        .map_err(io)?
        .block_on(run(listener, served, limits, stop))
        .map_err(io)
}

/// Completes when the watch says `true`.
async fn closed(mut rx: tokio::sync::watch::Receiver<bool>) {
    loop {
        if *rx.borrow_and_update() {
            return;
        }
        if rx.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
}

/// The accept loop: a connection cap, per-connection timeouts (hyper's header-read timeout and a
/// lifetime), and on `stop` a graceful end: no new connections, idle ones closed, answers under
/// way finished within `limits.grace`, then the click writer drained.
async fn run(
    listener: std::net::TcpListener,
    served: Arc<Served>,
    limits: Limits,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use tower::ServiceExt;
    listener.set_nonblocking(true)?;
    let listener = tokio::net::TcpListener::from_std(listener)?;
    let app = router(served.clone());
    let slots = Arc::new(tokio::sync::Semaphore::new(limits.max_connections.max(1)));
    let (closing_tx, closing_rx) = tokio::sync::watch::channel(false);
    let mut tasks = tokio::task::JoinSet::new();
    let refused = Arc::new(AtomicU64::new(0));
    tokio::pin!(stop);
    loop {
        tokio::select! {
            () = &mut stop => break,
            Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(a) => a,
                    Err(e) => {
                        // Out of file descriptors and the like: wait a little, do not spin.
                        eprintln!("lurescreen: drill serve: accept: {e}");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                let Ok(slot) = slots.clone().try_acquire_owned() else {
                    if refused.fetch_add(1, Ordering::Relaxed).is_multiple_of(1000) {
                        eprintln!(
                            "lurescreen: drill serve: {} connections open (the limit): refusing more with 503",
                            limits.max_connections
                        );
                    }
                    let _ = stream.try_write(
                        b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\nRetry-After: 5\r\n\r\n",
                    );
                    // Take what the client already sent, so closing does not reset the
                    // connection under the answer.
                    let _ = stream.try_read(&mut [0u8; 4096]);
                    continue;
                };
                let app = app.clone();
                let closing = closing_rx.clone();
                tasks.spawn(async move {
                    let _slot = slot;
                    let service = hyper::service::service_fn(move |mut req: axum::extract::Request<hyper::body::Incoming>| {
                        req.extensions_mut().insert(ConnectInfo(peer));
                        app.clone().oneshot(req)
                    });
                    let conn = hyper::server::conn::http1::Builder::new()
                        .timer(TokioTimer::new())
                        .header_read_timeout(limits.header_timeout)
                        .max_buf_size(64 * 1024)
                        .serve_connection(TokioIo::new(stream), service);
                    tokio::pin!(conn);
                    let lifetime = tokio::time::sleep(limits.lifetime);
                    tokio::pin!(lifetime);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        () = &mut lifetime => {}
                        () = closed(closing) => {
                            // Idle keep-alive connections close now; an answer under way is
                            // finished; a request still being sent gets `grace` at most.
                            conn.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(limits.grace, conn.as_mut()).await;
                        }
                    }
                });
            }
        }
    }
    drop(listener);
    let _ = closing_tx.send(true);
    let drained = tokio::time::timeout(limits.grace + Duration::from_secs(1), async {
        while tasks.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tasks.abort_all();
    }
    let recorder = served.clone();
    let _ = tokio::task::spawn_blocking(move || recorder.recorder.finish()).await;
    eprintln!(
        "lurescreen: drill serve: stopped; {}",
        served.recorder.stats().summary()
    );
    Ok(())
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
    method: Method,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let known = is_token(&token) && served.generated.entry(&token).is_some();
    if !known {
        return not_found().await;
    }
    let user_agent = headers
        .get(header::USER_AGENT)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let html = tokio::task::spawn_blocking(move || {
        let Some(entry) = served.generated.entry(&token) else {
            return not_found_html();
        };
        served.recorder.submit(Click::new(
            entry,
            now(),
            method.as_str(),
            &peer.ip().to_string(),
            &user_agent,
        ));
        let info = served.generated.scenario(&entry.scenario);
        let scenario = info.as_ref();
        let lang = debrief_lang(entry, served.lang, scenario);
        let host = url::Url::parse(&served.generated.manifest.landing_url)
            .ok()
            .and_then(|u| u.host_str().map(|h| h.trim_matches(['[', ']']).to_string()));
        let report = served.generated.manifest.report.as_ref();
        match served.generated.raw(entry) {
            Ok(raw) => debrief_html(
                &served.engine,
                &raw,
                scenario,
                host.as_deref(),
                &served.generated.manifest.domains,
                report,
                lang,
            ),
            Err(e) => {
                eprintln!("lurescreen: drill serve: {e}");
                debrief_html(
                    &served.engine,
                    b"",
                    scenario,
                    host.as_deref(),
                    &served.generated.manifest.domains,
                    report,
                    lang,
                )
            }
        }
    })
    .await
    .unwrap_or_else(|_| not_found_html());
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
/// reader, with its IPA point), then what to do next time and, when the campaign has a report
/// address, how to report and whom to contact.
fn debrief_html(
    engine: &Engine,
    raw: &[u8],
    scenario: Option<&scenario::Info>,
    landing_host: Option<&str>,
    own_domains: &[String],
    report: Option<&super::campaign::ReportTo>,
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
    let mut next = format!(
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
    // The scenario's own debrief points (scenario files' `[debrief]`), before the general advice.
    if let Some(points) = scenario.map(|s| s.debrief(lang)).filter(|p| !p.is_empty()) {
        let items: String = points
            .iter()
            .map(|p| format!("<li>{}</li>\n", esc(p)))
            .collect();
        next = format!(
            "<section class=\"scenario-points\">\n<h2>{}</h2>\n<ul>\n{items}</ul>\n</section>\n{next}",
            t("What this drill teaches", "この訓練で覚えてほしいこと")
        );
    }
    if let Some(r) = report {
        let ja = lang == Lang::Ja;
        next.push_str(&format!(
            "<section class=\"report-to\">\n<h2>{}</h2>\n<p>{}</p>\n<p><b>{}</b> <a href=\"mailto:{href}\">{addr}</a></p>\n<p>{}</p>\n</section>\n",
            t("How to report a suspicious mail", "不審なメールの報告のしかた"),
            esc(&r.how_text(ja)),
            t("Report address:", "報告先："),
            esc(&r.contact_text(ja)),
            addr = esc(&r.address),
            href = html_escape::encode_double_quoted_attribute(&r.address),
        ));
    }
    match crate::explain::explain(engine, raw) {
        Ok(mut explanation) => {
            if let Some(host) = landing_host {
                leave_out_drill_machinery(
                    &mut explanation,
                    host,
                    scenario.map_or(&[][..], |s| &s.teaches[..]),
                );
            }
            own_domains_read_normally(&mut explanation, own_domains);
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

/// Leaves out of the debrief the points that exist only because of the drill's machinery: those
/// whose evidence names the landing page's host (an IP address, a "hidden destination", a
/// look-alike of the landing domain) and which the scenario does not teach. The remaining points
/// are numbered again from 1 and the marks follow.
pub fn leave_out_drill_machinery(
    e: &mut crate::explain::Explanation,
    landing_host: &str,
    teaches: &[String],
) {
    let host = landing_host.to_ascii_lowercase();
    let defanged = host.replace('.', "[.]");
    let machinery = |p: &crate::explain::Point| {
        !teaches.contains(&p.rule)
            && p.evidence.iter().any(|(_, v)| {
                let v = v.to_ascii_lowercase();
                v.contains(&host) || v.contains(&defanged)
            })
    };
    let mut renumber = std::collections::HashMap::new();
    let mut kept = Vec::with_capacity(e.points.len());
    for mut p in std::mem::take(&mut e.points) {
        if machinery(&p) {
            continue;
        }
        renumber.insert(p.n, kept.len() + 1);
        p.n = kept.len() + 1;
        kept.push(p);
    }
    e.points = kept;
    let fix = |marks: &mut Vec<usize>| {
        *marks = marks
            .iter()
            .filter_map(|m| renumber.get(m).copied())
            .collect();
    };
    fix(&mut e.subject_marks);
    fix(&mut e.body_marks);
    fix(&mut e.sender.marks);
    for l in &mut e.links {
        fix(&mut l.marks);
    }
    for a in &mut e.attachments {
        fix(&mut a.marks);
    }
}

/// The organisation's own domains (and their subdomains) read normally in the running text of
/// the points (reasons and explanations): `example[.]co[.]jp` is the staff's own address, not a
/// place to keep them from going, and the debrief is a web page no mail program turns into links.
/// URLs stay defanged, and so does every other host and the links' own evidence (destination,
/// host, text).
pub fn own_domains_read_normally(e: &mut crate::explain::Explanation, own: &[String]) {
    if own.is_empty() {
        return;
    }
    for p in &mut e.points {
        for text in [
            &mut p.reason_en,
            &mut p.reason_ja,
            &mut p.explain_en,
            &mut p.explain_ja,
        ] {
            *text = undefang_own(text, own);
        }
    }
}

/// `text` with each defanged host that is one of `own` or a subdomain of one written normally,
/// unless it is part of a URL (after `://`, or followed by a path).
fn undefang_own(text: &str, own: &[String]) -> String {
    static HOST: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"[A-Za-z0-9-]+(?:\[\.\][A-Za-z0-9-]+)+").expect("valid host regex")
    });
    let is_own = |host: &str| {
        let host = host.to_ascii_lowercase();
        own.iter().any(|d| {
            let d = d.trim().trim_end_matches('.').to_ascii_lowercase();
            !d.is_empty()
                && (host == d
                    || host
                        .strip_suffix(d.as_str())
                        .is_some_and(|rest| rest.ends_with('.')))
        })
    };
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for m in HOST.find_iter(text) {
        let before = &text[..m.start()];
        let after = &text[m.end()..];
        let in_url = before.ends_with("://")
            || before.ends_with(['.', '/', '@', ':'])
            || after.starts_with(['/', ':', '?', '#']);
        let plain = m.as_str().replace("[.]", ".");
        out.push_str(&text[last..m.start()]);
        if !in_url && is_own(&plain) {
            out.push_str(&plain);
        } else {
            out.push_str(m.as_str());
        }
        last = m.end();
    }
    out.push_str(&text[last..]);
    out
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
    fn own_domains_read_normally_in_running_text_and_nothing_else_does() {
        let own = vec!["Example.co.jp".to_string()];
        assert_eq!(
            undefang_own(
                "The signature names example[.]co[.]jp and portal[.]example[.]co[.]jp, the link goes to examp1e[.]co[.]jp",
                &own
            ),
            "The signature names example.co.jp and portal.example.co.jp, the link goes to examp1e[.]co[.]jp"
        );
        for kept in [
            "hxxps://portal[.]example[.]co[.]jp/login",
            "www[.]example[.]co[.]jp/login",
            "notexample[.]co[.]jp",
            "example[.]co[.]jp[.]evil[.]example",
            "drill[.]awareness[.]example",
        ] {
            assert_eq!(undefang_own(kept, &own), kept);
        }
        assert_eq!(
            undefang_own("リンクの文字は EXAMPLE[.]CO[.]JP を示しています", &own),
            "リンクの文字は EXAMPLE.CO.JP を示しています"
        );
        assert_eq!(undefang_own("example[.]co[.]jp", &[]), "example[.]co[.]jp");
    }

    #[test]
    fn the_debrief_escapes_what_the_message_says() {
        let engine = crate::drill::engine(&[], crate::Signatures::embedded().unwrap());
        let raw = b"From: \"<script>alert(1)</script> Bank\" <x@gmail.com>\r\nSubject: <b>hi</b>\r\n\r\n<img src=x>";
        let html = debrief_html(&engine, raw, None, None, &[], None, Lang::En);
        assert!(!html.contains("<script>"));
        assert!(!html.contains("<b>hi"));
        assert!(!html.contains("<img"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
