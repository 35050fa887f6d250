//! `lurescreen drill generate|send|serve|report`: thin wrappers around `crate::drill`.

use crate::drill::{self, Generated, campaign::Campaign, generate, scenario};
use crate::exit;
use crate::lang::Lang;
use std::io::Write;
use std::path::Path;

/// `drill scenarios` (and `drill generate --list`): every scenario a campaign can use (the
/// built-in ones without a campaign), with what it teaches and where it comes from.
pub fn list(campaign: Option<&Path>, lang: Lang, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let catalogue = match campaign {
        None => scenario::Catalogue::built_in(),
        Some(path) => {
            let loaded = std::fs::read_to_string(path)
                .map_err(|e| drill::DrillError::Io(format!("{}: {e}", path.display())))
                .and_then(|text| {
                    Campaign::parse(&text).map_err(|e| {
                        drill::DrillError::Campaign(format!("{}: {e}", path.display()))
                    })
                })
                .and_then(|c| Campaign::catalogue_for(&c, path));
            match loaded {
                Ok(c) => c,
                Err(e) => {
                    let _ = writeln!(err, "lurescreen: {e}");
                    return exit::USAGE;
                }
            }
        }
    };
    let (teaches, source) = match lang {
        Lang::Ja => ("教える規則", "定義"),
        Lang::En => ("teaches", "source"),
    };
    let quiz = |n: usize| match (lang, n) {
        (Lang::Ja, 0) => "確認クイズ: なし".to_string(),
        (Lang::Ja, n) => format!("確認クイズ: {n} 問"),
        (Lang::En, 0) => "quiz: none".to_string(),
        (Lang::En, n) => format!("quiz: {n} questions"),
    };
    for s in &catalogue.scenarios {
        let shown_source = match (&s.source, lang) {
            (scenario::Source::BuiltIn(name), Lang::Ja) => format!("組み込み（{name}）"),
            (src, _) => src.to_string(),
        };
        if writeln!(
            out,
            "{:<24} {}  {}\n{:<24}    {teaches}: {}\n{:<24}    {source}: {shown_source}\n{:<24}    {}",
            s.id,
            s.lang,
            s.title(lang),
            "",
            s.teaches.join(", "),
            "",
            "",
            quiz(s.quiz.len()),
        )
        .is_err()
        {
            return exit::IO;
        }
    }
    0
}

/// `drill generate`: builds the lures, scans each with the filter and refuses the campaign
/// (writing nothing, exit 65) when the filter does not flag a lure with every rule its scenario
/// teaches, unless `allow_uncaught` (then each such scenario gets a loud warning); else writes
/// the lures and the manifest.
pub fn generate(
    campaign: &Path,
    out_dir: &Path,
    base: &crate::Engine,
    allow_uncaught: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut loaded = match Campaign::load(campaign) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::USAGE;
        }
    };
    // Every rule a scenario teaches must exist, or no lure could ever be flagged with it.
    for s in loaded.scenarios() {
        if let Some(r) = s
            .teaches
            .iter()
            .find(|r| base.signatures().rule(r).is_none())
        {
            let _ = writeln!(
                err,
                "lurescreen: scenario {}:{}: teaches {r}, which is no rule of lurescreen (`lurescreen rules` lists them)",
                s.source, s.teaches_line
            );
            return exit::USAGE;
        }
    }
    if let Err(e) = loaded.use_seed_file(out_dir) {
        let _ = writeln!(err, "lurescreen: {e}");
        return match e {
            drill::DrillError::Campaign(_) => exit::USAGE,
            _ => exit::IO,
        };
    }
    let lures = generate::build(&loaded);
    let engine = drill::engine_from(
        base.config().clone(),
        &loaded.campaign.organisation.domains,
        base.signatures().clone(),
    );
    // One message per scenario that fails (the first lure that shows it).
    let mut refused: Vec<&str> = Vec::new();
    for lure in &lures {
        let s = &lure.scenario;
        if refused.contains(&s.id.as_str()) {
            continue;
        }
        let judged = drill::judge(&engine, &lure.raw, s);
        if !judged.caught() {
            refused.push(&s.id);
            let missing = if judged.missing.is_empty() {
                format!(
                    "the filter flags it only as {} (warn or above needed)",
                    judged.verdict.as_str()
                )
            } else {
                format!(
                    "the filter does not raise {} on its lure for {} (verdict {}; rules raised: {})",
                    judged.missing.join(", "),
                    lure.recipient.email,
                    judged.verdict.as_str(),
                    if judged.rules.is_empty() {
                        "none".to_string()
                    } else {
                        judged.rules.join(", ")
                    }
                )
            };
            let _ = writeln!(
                err,
                "lurescreen: {}scenario `{}` ({}) teaches {}: {missing}",
                if allow_uncaught { "WARNING: " } else { "" },
                s.id,
                s.source,
                s.teaches.join(", "),
            );
        }
    }
    let uncaught = lures
        .iter()
        .filter(|l| refused.contains(&l.scenario.id.as_str()))
        .count();
    if !refused.is_empty() && allow_uncaught {
        let _ = writeln!(
            err,
            "lurescreen: WARNING: --allow-uncaught: writing {uncaught} lure(s) of {} scenario(s) ({}) that the filter does not flag with the rules they teach. Their debrief will not show those rules' points, and staff would learn the wrong lesson: use this to try out a scenario, never for a real drill.",
            refused.len(),
            refused.join(", ")
        );
    } else if !refused.is_empty() {
        let _ = writeln!(
            err,
            "lurescreen: nothing written: a drill lure must be one the filter flags with the rules its scenario teaches (check the scenario, sender.lookalike_domain, landing_url and --config)"
        );
        return exit::DATA;
    }
    if let Err(e) = generate::write(&loaded, &lures, out_dir) {
        let _ = writeln!(err, "lurescreen: {e}");
        return exit::IO;
    }
    let how = match loaded.campaign.assign {
        drill::campaign::Assign::All => format!(
            "{} recipients × {} scenarios",
            loaded.recipients.len(),
            loaded.scenarios().len()
        ),
        drill::campaign::Assign::One => format!(
            "{} recipients, one of {} scenarios each, wave {}",
            loaded.recipients.len(),
            loaded.scenarios().len(),
            loaded.campaign.wave
        ),
    };
    let when = match &loaded.window {
        Some(w) => {
            let iv = w.intervals();
            format!(
                ", to be sent between {} and {}",
                w.show(iv.first().map_or(w.start, |i| i.0)),
                w.show(iv.last().map_or(w.start, |i| i.1))
            )
        }
        None => String::new(),
    };
    let written = if uncaught > 0 {
        writeln!(
            out,
            "{} lures ({how}{when}) written to {}; {uncaught} of them NOT caught by the filter with the rules they teach (--allow-uncaught)",
            lures.len(),
            out_dir.display(),
        )
    } else {
        writeln!(
            out,
            "{} lures ({how}{when}) written to {}; every one caught by the filter with the rules it teaches",
            lures.len(),
            out_dir.display(),
        )
    };
    if written.is_err() {
        return exit::IO;
    }
    0
}

/// Loads a manifest or prints why not.
pub fn load_generated(path: &Path, err: &mut dyn Write) -> Option<Generated> {
    match Generated::load(path) {
        Ok(g) => Some(g),
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            None
        }
    }
}

/// `drill send`: checks, then sends (with `--yes`) or lists the lures.
pub struct SendArgs<'a> {
    pub campaign: &'a Path,
    pub out_dir: &'a Path,
    pub yes: bool,
    pub rate: Option<u32>,
    pub host: Option<String>,
    pub port: Option<u16>,
}

pub fn send(args: SendArgs<'_>, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    let loaded = match Campaign::load(args.campaign) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::USAGE;
        }
    };
    let Some(generated) = load_generated(args.out_dir, err) else {
        return exit::USAGE;
    };
    if generated.manifest.campaign != loaded.campaign.id {
        let _ = writeln!(
            err,
            "lurescreen: {} holds campaign `{}`, not `{}`",
            args.out_dir.display(),
            generated.manifest.campaign,
            loaded.campaign.id
        );
        return exit::USAGE;
    }
    let smtp = &loaded.campaign.smtp;
    let opts = drill::send::Options {
        yes: args.yes,
        host: args.host.unwrap_or_else(|| smtp.host.clone()),
        port: args.port.unwrap_or(smtp.port),
        helo: smtp.helo.clone(),
        envelope_from: smtp.envelope_from.clone(),
        rate_per_minute: args.rate.unwrap_or(smtp.rate_per_minute),
        domains: loaded.campaign.organisation.domains.clone(),
        now: None,
        offset: loaded.window.as_ref().map_or(0, |w| w.offset),
    };
    match drill::send::run(&generated, &opts, out) {
        // Some lures did not go: say so in the exit code too (the log says which).
        Ok(o) if o.refused + o.deferred > 0 => exit::TEMPFAIL,
        Ok(_) => 0,
        Err(e @ drill::DrillError::Refused(_)) => {
            let _ = writeln!(err, "lurescreen: {e}");
            exit::USAGE
        }
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            exit::IO
        }
    }
}

/// `drill serve`: the landing page until SIGTERM or SIGINT.
pub fn serve(
    manifest: &Path,
    listen: &str,
    db: &Path,
    limits: drill::serve::Limits,
    lang: Option<Lang>,
    base: &crate::Engine,
    err: &mut dyn Write,
) -> i32 {
    let Some(generated) = load_generated(manifest, err) else {
        return exit::USAGE;
    };
    let store = match drill::store::Store::open_for_writing(db) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(
                err,
                "lurescreen: drill serve: {e}\nlurescreen: clicks could not be recorded: give --db a file the server can write"
            );
            return exit::IO;
        }
    };
    let listener = match std::net::TcpListener::bind(listen) {
        Ok(l) => l,
        Err(e) => {
            let _ = writeln!(
                err,
                "lurescreen: drill serve: cannot listen on {listen}: {e}"
            );
            return exit::IO;
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_else(|_| listen.to_string());
    let ready = format!(
        "lurescreen: drill landing page for campaign {} ({} tokens) on http://{addr}/t/<token>; clicks recorded in {}",
        generated.manifest.campaign,
        generated.manifest.entries.len(),
        db.display()
    );
    let recorder = drill::recorder::Recorder::start(
        store,
        db.to_path_buf(),
        generated.manifest.campaign.clone(),
        drill::recorder::Retry::default(),
    );
    let served = drill::serve::Served {
        engine: drill::engine_from(
            base.config().clone(),
            &generated.manifest.domains,
            base.signatures().clone(),
        ),
        generated,
        recorder,
        lang,
    };
    let served = std::sync::Arc::new(served);
    let result = drill::serve::serve(listener, served.clone(), limits, || {
        let _ = writeln!(err, "{ready}");
        let _ = err.flush();
    });
    let lost = served
        .recorder
        .stats()
        .lost
        .load(std::sync::atomic::Ordering::Relaxed);
    match result {
        Ok(()) if lost == 0 => 0,
        Ok(()) => exit::IO,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            exit::IO
        }
    }
}

/// What `drill report` writes on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// The figures as a table.
    #[default]
    Text,
    /// One row per lure (see `drill::report::lures`).
    Csv,
    Json,
}

/// Everything `drill report` reads of one campaign.
struct Loaded {
    generated: drill::Generated,
    results: drill::report::Results,
    clicks: Vec<drill::store::Click>,
    reports: Vec<drill::store::Report>,
    answers: Vec<drill::store::QuizAnswers>,
    opens: Vec<drill::store::Click>,
}

/// Reads a campaign's manifest, send log, clicks (spilled ones too) and reports, and computes
/// its results; `Err` is the exit code, the reason written to `err`.
fn load_results(manifest: &Path, db: &Path, err: &mut dyn Write) -> Result<Loaded, i32> {
    let Some(generated) = load_generated(manifest, err) else {
        return Err(exit::USAGE);
    };
    if !db.is_file() {
        let _ = writeln!(err, "lurescreen: {}: no such database", db.display());
        return Err(exit::USAGE);
    }
    let mut clicks =
        match drill::store::Store::open(db).and_then(|s| s.clicks(&generated.manifest.campaign)) {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {e}");
                return Err(exit::IO);
            }
        };
    let (spilled, bad) = drill::store::spilled(db, &generated.manifest.campaign);
    if bad > 0 {
        let _ = writeln!(
            err,
            "lurescreen: warning: {}: {bad} line(s) could not be read",
            drill::store::spill_path(db).display()
        );
    }
    // The spill file holds clicks and opens alike.
    let (spilled_clicks, spilled_opens): (Vec<_>, Vec<_>) = spilled
        .into_iter()
        .partition(|c| c.kind == drill::store::Kind::Click);
    let unstored = spilled_clicks.len();
    let unstored_opens = spilled_opens.len();
    clicks.extend(spilled_clicks);
    let mut opens =
        match drill::store::Store::open(db).and_then(|s| s.opens(&generated.manifest.campaign)) {
            Ok(o) => o,
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {e}");
                return Err(exit::IO);
            }
        };
    opens.extend(spilled_opens);
    let reports =
        match drill::store::Store::open(db).and_then(|s| s.reports(&generated.manifest.campaign)) {
            Ok(r) => r,
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {e}");
                return Err(exit::IO);
            }
        };
    let answers = match drill::store::Store::open(db)
        .and_then(|s| s.quiz_answers(&generated.manifest.campaign))
    {
        Ok(a) => a,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return Err(exit::IO);
        }
    };
    let sent = drill::send::sent_times(&generated.dir);
    let mut results = drill::report::compute_with(&generated, &sent, &clicks, &reports);
    drill::report::add_quiz(&mut results, &generated, &sent, &clicks, &answers);
    drill::report::add_opens(&mut results, &generated, &sent, &opens);
    results.unstored = unstored;
    results.unstored_opens = unstored_opens;
    Ok(Loaded {
        generated,
        results,
        clicks,
        reports,
        answers,
        opens,
    })
}

/// `drill report`: results as text (or one row per lure as CSV or JSON) on stdout, and as HTML
/// with `--html`; with `compare` (an earlier campaign's manifest and database), its figures
/// beside these in the text and the HTML.
#[allow(clippy::too_many_arguments)]
pub fn report(
    manifest: &Path,
    db: &Path,
    html: Option<&Path>,
    compare: Option<(&Path, &Path)>,
    format: ReportFormat,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let this = match load_results(manifest, db, err) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let comparison = match compare {
        None => None,
        Some((m, d)) => match load_results(m, d, err) {
            Ok(earlier) => {
                if earlier.generated.manifest.campaign == this.generated.manifest.campaign {
                    let _ = writeln!(
                        err,
                        "lurescreen: --compare: {} is this campaign ({}); give an earlier campaign's manifest",
                        m.display(),
                        this.generated.manifest.campaign
                    );
                    return exit::USAGE;
                }
                if earlier.clicks.is_empty() && earlier.reports.is_empty() {
                    let _ = writeln!(
                        err,
                        "lurescreen: warning: --compare: no clicks or reports of campaign {} in {}; if it has its own database, give it with --compare-db",
                        earlier.generated.manifest.campaign,
                        d.display()
                    );
                }
                Some(drill::compare::compare(&this.results, &earlier.results))
            }
            Err(code) => return code,
        },
    };
    let Loaded {
        generated,
        results,
        clicks,
        reports,
        answers,
        opens,
    } = this;
    let log = drill::send::read_log(&generated.dir);
    if let Some(path) = html {
        let timeline =
            drill::timeline::build_with(&generated, &log, &clicks, &reports, &answers, &opens);
        let comparison_html = comparison.as_ref().map(|c| drill::compare::html(c, lang));
        let timeline_html = drill::timeline::html(&timeline, lang);
        let page = drill::report::Page {
            comparison: comparison_html.as_deref(),
            timeline: Some(&timeline_html),
        };
        if let Err(e) = std::fs::write(path, drill::report::html_page(&results, &page, lang)) {
            let _ = writeln!(err, "lurescreen: {}: {e}", path.display());
            return exit::IO;
        }
    }
    let rows = || drill::report::lures_full(&generated, &log, &clicks, &reports, &answers, &opens);
    let written = match format {
        ReportFormat::Text => {
            let mut text = drill::report::text_in(&results, lang);
            if let Some(c) = &comparison {
                text.push_str(&drill::compare::text(c, lang));
            }
            write!(out, "{text}")
        }
        // With --compare, the machine-readable formats carry the comparison (the per-lure rows
        // of one campaign are `--format csv|json` without it).
        ReportFormat::Json if comparison.is_some() => {
            let c = comparison.as_ref().expect("checked");
            write!(out, "{}", drill::compare::json(c))
        }
        ReportFormat::Csv if comparison.is_some() => {
            let c = comparison.as_ref().expect("checked");
            match drill::compare::csv(c, lang) {
                Ok(bytes) => out.write_all(&bytes),
                Err(e) => {
                    let _ = writeln!(err, "lurescreen: csv: {e}");
                    return exit::SOFTWARE;
                }
            }
        }
        ReportFormat::Json => write!(out, "{}", drill::report::json(&rows())),
        ReportFormat::Csv => match drill::report::csv(&rows(), lang) {
            Ok(bytes) => out.write_all(&bytes),
            Err(e) => {
                let _ = writeln!(err, "lurescreen: csv: {e}");
                return exit::SOFTWARE;
            }
        },
    };
    if written.is_err() {
        return exit::IO;
    }
    0
}

/// `drill reports`: reads the report-to-IT mailboxes and stores the lures reported in them.
pub fn reports(
    manifest: &Path,
    db: &Path,
    mailboxes: &[std::path::PathBuf],
    base: &crate::Engine,
    lang: Lang,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let Some(generated) = load_generated(manifest, err) else {
        return exit::USAGE;
    };
    let mut store = match drill::store::Store::open(db) {
        Ok(s) => s,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::IO;
        }
    };
    let mut warned = 0usize;
    let mut warn = |w: String| {
        warned += 1;
        let _ = writeln!(err, "lurescreen: drill reports: {w}");
    };
    let limits = &base.config().limits;
    let tally = match drill::reports::read(&generated, &mut store, mailboxes, limits, &mut warn) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::IO;
        }
    };
    let stored = store
        .reports(&generated.manifest.campaign)
        .map(|r| drill::report::first_reports(&r).len())
        .unwrap_or(0);
    let lures = generated.manifest.entries.len();
    let ja = lang == Lang::Ja;
    let text = if ja {
        format!(
            "報告用メールボックスのメール {} 通：訓練メールの報告 {} 通（新たに記録 {} 件、記録済み {} 件）、該当なし {} 通（うち訓練のヘッダーがありトークンのないもの {} 通）、自動送信（不達通知・自動応答）{} 通、大きすぎるもの {} 通、読めなかったもの {} 件\n報告された訓練メール：{stored} / {lures} 通\n",
            tally.mails,
            tally.matched,
            tally.new,
            tally.already,
            tally.unmatched,
            tally.drill_without_token,
            tally.automatic,
            tally.too_large,
            tally.unreadable
        )
    } else {
        format!(
            "{} mail(s) in the report mailbox: {} naming a lure ({} new report(s) stored, {} already stored), {} unmatched ({} with the drill header but no known token), {} automatic (bounces, auto-replies), {} too large, {} unreadable\nlures reported so far: {stored} of {lures}\n",
            tally.mails,
            tally.matched,
            tally.new,
            tally.already,
            tally.unmatched,
            tally.drill_without_token,
            tally.automatic,
            tally.too_large,
            tally.unreadable
        )
    };
    if out.write_all(text.as_bytes()).is_err() {
        return exit::IO;
    }
    if tally.unreadable > 0 { exit::IO } else { 0 }
}
