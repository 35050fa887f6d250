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

/// Largest quiz submission (a form of at most three `qN=M` fields is a few dozen bytes).
pub const MAX_QUIZ_BODY: usize = 2048;

/// The routes: `GET /t/{token}` (the click and the debrief), `POST /t/{token}` (the debrief's
/// quiz answers) and a 404 for everything else.
pub fn router(served: Arc<Served>) -> Router {
    Router::new()
        .route(
            "/t/{token}",
            get(click)
                .post(quiz)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_QUIZ_BODY)),
        )
        .route("/o/{file}", get(tracked))
        .route("/a/{file}", get(tracked))
        .fallback(not_found)
        .with_state(served)
}

/// A transparent 1×1 GIF (GIF89a, 43 bytes): what the open-tracking images are.
pub const PIXEL_GIF: [u8; 43] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

/// `/o/<token>.gif` and `/a/<token>.gif`: records the open (like a click: client address, user
/// agent, method, time) and answers with the 1×1 GIF, never cached. A campaign generated
/// without `track_opens`, an unknown token or any other name gets the bare 404.
async fn tracked(
    State(served): State<Arc<Served>>,
    Path(file): Path<String>,
    method: Method,
    uri: axum::http::Uri,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
) -> Response {
    let kind = if uri.path().starts_with("/a/") {
        super::store::Kind::Attachment
    } else {
        super::store::Kind::Open
    };
    let Some(entry) = file
        .strip_suffix(".gif")
        .filter(|t| is_token(t) && served.generated.manifest.track_opens)
        .and_then(|t| served.generated.entry(t))
    else {
        return not_found().await;
    };
    let user_agent = user_agent(&headers);
    served.recorder.submit(Click::of(
        kind,
        entry,
        now(),
        method.as_str(),
        &peer.ip().to_string(),
        &user_agent,
    ));
    let mut resp = (StatusCode::OK, PIXEL_GIF.to_vec()).into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/gif"));
    private(h);
    resp
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
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    private(h);
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
    let user_agent = user_agent(&headers);
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

/// The request's `User-Agent` (empty when none; not UTF-8: lossily).
fn user_agent(headers: &HeaderMap) -> String {
    headers
        .get(header::USER_AGENT)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default()
}

/// Headers of every answer: no type sniffing, no referrer, never cached.
fn private(h: &mut HeaderMap) {
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache, must-revalidate, private"),
    );
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
    if let Some(s) = scenario.filter(|s| !s.quiz.is_empty()) {
        next.push_str(&quiz_form(&s.quiz, lang));
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

/// The quiz at the end of the debrief: a plain form (no script) posted back to the page's own
/// address (so it works behind a reverse proxy that adds a path), one radio group per question.
fn quiz_form(quiz: &[scenario::Question], lang: Lang) -> String {
    let t = |en: &'static str, ja: &'static str| if lang == Lang::Ja { ja } else { en };
    let mut out = format!(
        "<section class=\"quiz\">\n<h2>{}</h2>\n<p>{}</p>\n<form method=\"post\">\n",
        t("Check what you learned", "確認クイズ"),
        t(
            "A few questions about this mail. Your first answers are recorded for the drill's results; the right answers are shown after you send them.",
            "このメールについての短い問題です。最初の回答が訓練の結果として記録されます。送信すると正解と解説が表示されます。"
        ),
    );
    for (n, q) in quiz.iter().enumerate() {
        out.push_str(&format!(
            "<fieldset style=\"border:1px solid #e5e7eb;border-radius:8px;margin:12px 0;padding:8px 14px\">\n<legend style=\"font-weight:600;padding:0 4px\">{}. {}</legend>\n",
            n + 1,
            esc(q.question(lang))
        ));
        for (c, choice) in q.choices(lang).iter().enumerate() {
            out.push_str(&format!(
                "<label style=\"display:block;margin:4px 0\"><input type=\"radio\" name=\"q{}\" value=\"{}\" required> {}</label>\n",
                n + 1,
                c + 1,
                esc(choice)
            ));
        }
        out.push_str("</fieldset>\n");
    }
    out.push_str(&format!(
        "<button type=\"submit\" style=\"font:inherit;padding:6px 20px\">{}</button>\n</form>\n</section>\n",
        t("Send my answers", "回答を送信する")
    ));
    out
}

/// Why a quiz submission is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuizRefusal {
    /// Not a form, or a field that is not `qN=M` with a known question and choice.
    Unreadable,
    /// A question of this quiz has no answer.
    Unanswered,
}

/// The choices of a quiz submission (`q1=2&q2=1...`, one per question, in question order):
/// every question answered once with one of its choices, nothing else.
pub fn parse_answers(body: &[u8], quiz: &[scenario::Question]) -> Result<Vec<usize>, QuizRefusal> {
    let mut answers: Vec<Option<usize>> = vec![None; quiz.len()];
    for (n, (key, value)) in url::form_urlencoded::parse(body).enumerate() {
        if n >= quiz.len() {
            return Err(QuizRefusal::Unreadable);
        }
        let q = key
            .strip_prefix('q')
            .filter(|d| is_small_number(d))
            .and_then(|d| d.parse::<usize>().ok())
            .filter(|q| (1..=quiz.len()).contains(q))
            .ok_or(QuizRefusal::Unreadable)?;
        let choices = quiz[q - 1].choices_en.len();
        let c = Some(value.as_ref())
            .filter(|v| is_small_number(v))
            .and_then(|v| v.parse::<usize>().ok())
            .filter(|c| (1..=choices).contains(c))
            .ok_or(QuizRefusal::Unreadable)?;
        if answers[q - 1].replace(c).is_some() {
            return Err(QuizRefusal::Unreadable);
        }
    }
    answers
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .ok_or(QuizRefusal::Unanswered)
}

/// `1` to `99` written plainly (no sign, no leading zero).
fn is_small_number(s: &str) -> bool {
    (1..=2).contains(&s.len()) && !s.starts_with('0') && s.bytes().all(|b| b.is_ascii_digit())
}

/// How many of `answers` are right.
pub fn score(quiz: &[scenario::Question], answers: &[usize]) -> usize {
    quiz.iter()
        .zip(answers)
        .filter(|(q, a)| q.answer == **a)
        .count()
}

/// A short page in `lang` for a quiz submission that is not taken.
fn quiz_refused(status: StatusCode, lang: Lang, en: &str, ja: &str) -> Response {
    let (title, text) = match lang {
        Lang::Ja => ("確認クイズ", ja),
        Lang::En => ("Quiz", en),
    };
    page(
        status,
        shell(
            lang,
            title,
            &format!(
                "<main><section><h1>{}</h1><p>{}</p></section></main>",
                esc(title),
                esc(text)
            ),
        ),
    )
}

async fn quiz(
    State(served): State<Arc<Served>>,
    Path(token): Path<String>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<axum::body::Bytes, axum::extract::rejection::BytesRejection>,
) -> Response {
    let Some(entry) = is_token(&token)
        .then(|| served.generated.entry(&token))
        .flatten()
        .cloned()
    else {
        return not_found().await;
    };
    let info = served.generated.scenario(&entry.scenario);
    let lang = debrief_lang(&entry, served.lang, info.as_ref());
    let Some(info) = info.filter(|s| !s.quiz.is_empty()) else {
        return not_found().await;
    };
    let body = match body {
        Ok(b) => b,
        Err(_) => {
            return quiz_refused(
                StatusCode::PAYLOAD_TOO_LARGE,
                lang,
                "The answers could not be read: the request is too large.",
                "回答を読み取れませんでした。送信された内容が大きすぎます。",
            );
        }
    };
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if !form {
        return quiz_refused(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            lang,
            "The answers could not be read: send them with the form on the page.",
            "回答を読み取れませんでした。ページのフォームから送信してください。",
        );
    }
    let answers = match parse_answers(&body, &info.quiz) {
        Ok(a) => a,
        Err(QuizRefusal::Unanswered) => {
            return quiz_refused(
                StatusCode::BAD_REQUEST,
                lang,
                "Please answer every question, then send the answers again.",
                "すべての問題に答えてから、もう一度送信してください。",
            );
        }
        Err(QuizRefusal::Unreadable) => {
            return quiz_refused(
                StatusCode::BAD_REQUEST,
                lang,
                "The answers could not be read: send them with the form on the page.",
                "回答を読み取れませんでした。ページのフォームから送信してください。",
            );
        }
    };
    let user_agent = user_agent(&headers);
    let submitted = super::store::QuizAnswers {
        token: entry.token.clone(),
        scenario: entry.scenario.clone(),
        correct: score(&info.quiz, &answers),
        questions: info.quiz.len(),
        answers,
        answered_at: now(),
        ip: peer.ip().to_string(),
        user_agent: user_agent
            .chars()
            .take(super::store::MAX_USER_AGENT)
            .collect(),
    };
    let stored = tokio::task::spawn_blocking(move || {
        let db = served.recorder.db().to_path_buf();
        let campaign = served.recorder.campaign().to_string();
        let mut last = String::new();
        for attempt in 0..3 {
            if attempt > 0 {
                std::thread::sleep(Duration::from_millis(200));
            }
            match super::store::Store::open(&db).and_then(|mut s| {
                s.record_quiz(&campaign, &submitted)
                    .map_err(|e| DrillError::Db(e.to_string()))
            }) {
                Ok(r) => return Ok(r),
                Err(e) => last = e.to_string(),
            }
        }
        eprintln!(
            "lurescreen: drill serve: quiz answers on {} not stored: {last}",
            submitted.token
        );
        Err(())
    })
    .await
    .unwrap_or(Err(()));
    match stored {
        Ok((answers, new)) => page(
            StatusCode::OK,
            quiz_results_html(&info, &answers, new, lang),
        ),
        Err(()) => quiz_refused(
            StatusCode::SERVICE_UNAVAILABLE,
            lang,
            "Your answers could not be saved just now. Please go back and send them again in a minute.",
            "ただいま回答を保存できませんでした。前のページに戻り、少し時間をおいてからもう一度送信してください。",
        ),
    }
}

/// The page after the quiz: the score, and per question the answer given, whether it was right,
/// the right answer and its explanation. `new`: these answers were stored now (else they are the
/// first ones, stored earlier).
fn quiz_results_html(
    info: &scenario::Info,
    stored: &super::store::QuizAnswers,
    new: bool,
    lang: Lang,
) -> String {
    let t = |en: &'static str, ja: &'static str| if lang == Lang::Ja { ja } else { en };
    let quiz = &info.quiz;
    let correct = score(quiz, &stored.answers);
    let mut body = format!(
        "<main>\n<div style=\"{BANNER}\">\n<h1 style=\"margin:0 0 6px;font-size:1.5rem;color:#92400e\">{}</h1>\n<p style=\"margin:4px 0\">{}</p>\n<p style=\"margin:4px 0\" class=\"score\"><b>{}</b></p>\n",
        t("Quiz results", "確認クイズの結果"),
        esc(info.title(lang)),
        match lang {
            Lang::Ja => format!("{} 問中 {correct} 問正解", quiz.len()),
            Lang::En => format!("{correct} of {} right", quiz.len()),
        }
    );
    if !new {
        body.push_str(&format!(
            "<p style=\"margin:4px 0\" class=\"already\">{}</p>\n",
            t(
                "Your answers had been recorded already: the first answers count, and these are they.",
                "回答は既に記録されています。記録に残るのは最初の回答で、以下はその結果です。"
            )
        ));
    }
    body.push_str("</div>\n");
    for (n, q) in quiz.iter().enumerate() {
        let given = stored.answers.get(n).copied();
        let right = given == Some(q.answer);
        let choice = |c: usize| {
            q.choices(lang)
                .get(c.wrapping_sub(1))
                .map_or(String::new(), |s| esc(s))
        };
        body.push_str(&format!(
            "<section class=\"{}\">\n<h2>{}. {}</h2>\n<p><b style=\"color:{}\">{}</b> {}{}</p>\n",
            if right { "right" } else { "wrong" },
            n + 1,
            esc(q.question(lang)),
            if right { "#15803d" } else { "#b91c1c" },
            if right {
                t("✓ Right.", "✓ 正解")
            } else {
                t("✗ Not right.", "✗ 不正解")
            },
            t("Your answer: ", "あなたの回答："),
            given.map_or(String::new(), choice),
        ));
        if !right {
            body.push_str(&format!(
                "<p>{}{}</p>\n",
                t("The right answer: ", "正解："),
                choice(q.answer)
            ));
        }
        body.push_str(&format!(
            "<p class=\"explain\">{}</p>\n</section>\n",
            esc(q.explain(lang))
        ));
    }
    body.push_str(&format!(
        "<footer>{}</footer>\n</main>",
        t(
            "Thank you for taking part. You may close this page.",
            "ご協力ありがとうございました。このページは閉じてかまいません。"
        )
    ));
    shell(lang, t("Quiz results", "確認クイズの結果"), &body)
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

    fn question(text: &str, choices: usize, answer: usize) -> scenario::Question {
        let c: Vec<String> = (1..=choices)
            .map(|n| format!("<b>choice {n}</b>"))
            .collect();
        scenario::Question {
            question_en: text.into(),
            question_ja: text.into(),
            choices_en: c.clone(),
            choices_ja: c,
            answer,
            explain_en: "<i>why</i>".into(),
            explain_ja: "<i>why</i>".into(),
        }
    }

    #[test]
    fn quiz_answers_are_one_known_choice_per_question_and_nothing_else() {
        let quiz = [question("a", 3, 2), question("b", 2, 1)];
        assert_eq!(parse_answers(b"q1=2&q2=1", &quiz), Ok(vec![2, 1]));
        assert_eq!(parse_answers(b"q2=2&q1=3", &quiz), Ok(vec![3, 2]));
        assert_eq!(score(&quiz, &[2, 1]), 2);
        assert_eq!(score(&quiz, &[3, 1]), 1);
        assert_eq!(parse_answers(b"q1=2", &quiz), Err(QuizRefusal::Unanswered));
        assert_eq!(parse_answers(b"", &quiz), Err(QuizRefusal::Unanswered));
        for bad in [
            &b"q1=2&q2=3"[..],
            b"q1=0&q2=1",
            b"q1=-1&q2=1",
            b"q1=+2&q2=1",
            b"q01=2&q2=1",
            b"q3=1&q1=2",
            b"q1=2&q1=2",
            b"Q1=2&q2=1",
            b"q1=2&q2=1&q1=1",
            b"q1=18446744073709551617&q2=1",
            b"q1=%32&q2=%00",
            b"q1=2&q2=1&x=1",
            b"\xff\xfe=\xff",
        ] {
            assert_eq!(
                parse_answers(bad, &quiz),
                Err(QuizRefusal::Unreadable),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn the_quiz_and_its_results_escape_the_scenarios_text() {
        let info = scenario::Info {
            id: "x".into(),
            lang: "en".into(),
            title_en: "<script>t</script>".into(),
            title_ja: "t".into(),
            teaches: vec![],
            debrief_en: vec![],
            debrief_ja: vec![],
            quiz: vec![
                question("<script>alert(1)</script>", 2, 1),
                question("q\"2", 2, 2),
            ],
            source: String::new(),
        };
        let form = quiz_form(&info.quiz, Lang::En);
        let answers = crate::drill::store::QuizAnswers {
            token: "t".into(),
            scenario: "x".into(),
            answers: vec![2, 2],
            correct: 1,
            questions: 2,
            answered_at: 0,
            ip: String::new(),
            user_agent: String::new(),
        };
        let results = quiz_results_html(&info, &answers, true, Lang::En);
        for html in [&form, &results] {
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<b>choice"), "{html}");
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "{html}"
            );
        }
        assert!(!results.contains("<i>why"), "{results}");
        assert!(results.contains("1 of 2 right"), "{results}");
        assert!(!form.contains("why"), "the answers are not in the form");
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
