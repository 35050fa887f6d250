//! The `lurescreen` command: parses arguments and dispatches to the front ends.
#![forbid(unsafe_code)]

use clap::{Parser, Subcommand, ValueEnum};
use lurescreen::cli::{self, filter, scan};
use lurescreen::engine::load;
use lurescreen::exit;
use lurescreen::{Config, Lang, Signatures, Verdict, batch};
use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "lurescreen",
    version,
    about = "Screens email for targeted-attack lures and phishing, and explains why.",
    after_long_help = "Configuration: the milter reads /etc/lurescreen/lurescreen.toml when \
        --config is not given; `lurescreen config check FILE` validates a file. Every option, \
        configuration key, rule and failure mode is described in \
        /usr/share/doc/lurescreen/README.md (installed by the Debian package).\n\n\
        Exit codes: 0-3 the highest verdict (scan, explain), 64 bad usage or configuration, 65 an \
        input that cannot be scanned, 70 internal error, 74 a read or write error, 75 try again \
        later (filter --fail-closed)."
)]
struct Cli {
    /// Configuration file (TOML). Without it the built-in defaults apply.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Load rules and lists from this directory instead of the embedded signatures.
    #[arg(long, global = true, value_name = "DIR")]
    signatures: Option<PathBuf>,
    /// Language of reasons, tags and banners [default: config `lang`, else the locale].
    #[arg(long, global = true, value_enum)]
    lang: Option<LangArg>,
    /// Turn the DNS stage on (`dns.enabled = true`) for scan, filter and milter: sender domain
    /// existence, DMARC policy and the configured DNSBL zones. Off unless given or configured.
    #[arg(long, global = true)]
    dns: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum LangArg {
    En,
    Ja,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::En => Lang::En,
            LangArg::Ja => Lang::Ja,
        }
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatArg {
    Text,
    Json,
    Headers,
    /// One row per message, for spreadsheets.
    Csv,
    /// Totals only: verdicts, top rules, sending domains, recipients.
    Summary,
}

#[derive(Clone, Copy, ValueEnum)]
enum InputArg {
    /// Each file is one message.
    Eml,
    /// Each file is an mbox (mboxo: `>From ` lines kept as they are).
    Mbox,
    /// Each file is an mboxrd (`>From ` lines un-escaped).
    Mboxrd,
    /// Each folder is a Maildir.
    Maildir,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnlyArg {
    Warn,
    Quarantine,
    Reject,
}

#[derive(Subcommand)]
enum Command {
    /// Scan messages and report verdict, score and findings.
    ///
    /// Each PATH is a message file, an mbox (gzip-compressed or not), a Maildir, a folder of any
    /// of these, or `-` for stdin. Exit code: the highest verdict (0 clean, 1 warn, 2 quarantine,
    /// 3 reject); 64 bad usage, 65 an input that cannot be scanned, 74 a read or write error.
    Scan {
        #[arg(long, value_enum, default_value = "text")]
        format: FormatArg,
        /// Each PATH is a bare file (a document, program, archive), analysed as if it were the
        /// one attachment of a message.
        #[arg(long, conflicts_with_all = ["input", "report", "extract", "only", "summary_json"])]
        attachment: bool,
        /// How to read the paths [default: recognised per path].
        #[arg(long, value_enum)]
        input: Option<InputArg>,
        /// Also write a self-contained HTML report (charts, table of flagged messages).
        #[arg(long, value_name = "FILE.html")]
        report: Option<PathBuf>,
        /// Print, list and extract only messages at or above this verdict.
        #[arg(long, value_enum)]
        only: Option<OnlyArg>,
        /// Write flagged messages (warn and above, or --only) to DIR as .eml files.
        #[arg(long, value_name = "DIR")]
        extract: Option<PathBuf>,
        /// When the run ends, write its totals to FILE as JSON (for cron jobs, systemd timers and
        /// SIEMs): messages by verdict, rule and input, errors, duration, exit code.
        #[arg(long, value_name = "FILE")]
        summary_json: Option<PathBuf>,
        /// Stop at the first input that cannot be read or scanned.
        #[arg(long)]
        fail_fast: bool,
        /// Stop after N inputs that cannot be read or scanned [default: never].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
        max_errors: Option<u64>,
        /// Scanning threads [default: one per core].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
        jobs: Option<u64>,
        #[arg(required = true, value_name = "PATH")]
        inputs: Vec<PathBuf>,
    },
    /// Explain one message for staff: the sender as it really is, every link and attachment
    /// shown safely, and each point to notice where it occurs. Exit code as `scan`.
    Explain {
        /// The message file, or `-` for stdin.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Write a self-contained HTML page here (and print a one-line summary) instead of text.
        #[arg(long, value_name = "OUT.html")]
        html: Option<PathBuf>,
    },
    /// Read one message on stdin, write it to stdout with X-Lurescreen-* headers (pipe mode).
    Filter {
        /// On any failure write nothing and exit 75 (tempfail) instead of passing the message on.
        #[arg(long)]
        fail_closed: bool,
    },
    /// Run as a milter for Postfix or Sendmail.
    ///
    /// Configuration: --config, else /etc/lurescreen/lurescreen.toml if it exists, else the
    /// built-in defaults. SIGHUP reloads configuration and signatures; SIGTERM finishes the
    /// messages in progress and exits. The Debian package runs it as lurescreen-milter.service.
    Milter {
        /// Socket: unix:/path or inet:HOST:PORT [default: milter.listen in the config].
        #[arg(long, value_name = "SOCKET")]
        listen: Option<String>,
        /// Validate configuration and signatures, print what would run, and exit.
        #[arg(long)]
        check: bool,
        /// Log lines as `key=value` text or one JSON object per line (for log shippers).
        #[arg(long, value_name = "FORMAT", default_value = "text", value_parser = ["text", "json"])]
        log_format: String,
    },
    /// List every rule: id, score, forced verdict and reason.
    Rules {
        #[arg(long, value_enum, default_value = "text")]
        format: RulesFormat,
    },
    /// Fit the rule scores to labelled mail and write a scores overlay.
    ///
    /// Ham and phishing are message files, folders, mbox or Maildir; the fitted scores are
    /// cross-validated (see the README, "Tuning scores on your own mail").
    Tune {
        /// Legitimate mail of the site.
        #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
        ham: Vec<PathBuf>,
        /// Phishing and lures that should be flagged.
        #[arg(long, required = true, num_args = 1.., value_name = "PATH")]
        phish: Vec<PathBuf>,
        /// Where to write the scores overlay.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Cross-validation folds.
        #[arg(long, value_name = "K", default_value_t = 5, value_parser = clap::value_parser!(u64).range(2..=50))]
        folds: u64,
        /// Seed of the split into folds.
        #[arg(long, value_name = "N", default_value_t = 1)]
        seed: u64,
        /// Share of the ham that may reach warn (the operating point) [default: 0.5%, and no more
        /// than the current scores warn on].
        #[arg(long, value_name = "PCT", value_parser = cli::tune::parse_percent)]
        max_ham_flagged: Option<f64>,
        /// Rules that fired fewer times than this keep their current score.
        #[arg(long, value_name = "N", default_value_t = 5)]
        min_count: usize,
        /// Lowest score a fitted rule gets (no rule lowers a score).
        #[arg(long, value_name = "SCORE", default_value_t = 0.5)]
        min_score: f64,
        /// Highest score a fitted rule gets.
        #[arg(long, value_name = "SCORE", default_value_t = 12.0)]
        max_score: f64,
        /// Highest score a fitted context rule gets (context raises a score, never decides it).
        #[arg(long, value_name = "SCORE", default_value_t = 3.0)]
        max_context_score: f64,
        /// Pull of each score toward its current value.
        #[arg(long, value_name = "WEIGHT", default_value_t = 10.0)]
        l2: f64,
        /// Scanning threads [default: one per core].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=1024))]
        jobs: Option<u64>,
    },
    /// Configuration commands.
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Training drills: generate harmless mock lures, send them, record clicks, report results.
    Drill {
        #[command(subcommand)]
        command: DrillCommand,
    },
    /// Write man pages or shell completions, generated from these definitions (for packagers).
    #[command(hide = true)]
    Generate {
        #[command(subcommand)]
        command: GenerateCommand,
    },
}

#[derive(Subcommand)]
enum GenerateCommand {
    /// Man pages: lurescreen.1 and one per subcommand (lurescreen-scan.1, ...), written into DIR.
    Man {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// A shell's completion script, on stdout or into DIR under the name the shell looks for.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum DrillCommand {
    /// Write one personalised mock lure per recipient and scenario, and a manifest of tokens.
    Generate {
        /// The campaign file (see corpus/drills/campaign.toml).
        #[arg(long, value_name = "FILE", required_unless_present = "list")]
        campaign: Option<PathBuf>,
        /// Folder to write the lures and manifest.json into (created if missing).
        #[arg(long, value_name = "DIR", required_unless_present = "list")]
        out: Option<PathBuf>,
        /// List the scenarios (with --campaign: also its scenario folder's) and exit; the same
        /// as `drill scenarios`.
        #[arg(long)]
        list: bool,
        /// Write the lures even when the filter does not flag one with every rule its scenario
        /// teaches (a loud warning names each): for trying out a scenario, not for a real drill,
        /// whose debrief would then not show what the scenario teaches.
        #[arg(long)]
        allow_uncaught: bool,
    },
    /// List the scenarios a campaign can use: id, language, title, the rules each teaches, and
    /// where it comes from (built-in, or a file of the campaign's scenario folder).
    Scenarios {
        /// The campaign file: its scenario folder (`scenarios_dir`, else `scenarios/` beside it)
        /// is read too. Without it, the built-in scenarios.
        #[arg(long, value_name = "FILE")]
        campaign: Option<PathBuf>,
    },
    /// Deliver the generated lures through the campaign's SMTP relay (a dry run without --yes).
    Send {
        #[arg(long, value_name = "FILE")]
        campaign: PathBuf,
        /// The folder `drill generate` wrote.
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Really send; without it, print what would be sent.
        #[arg(long)]
        yes: bool,
        /// Messages per minute [default: smtp.rate_per_minute in the campaign].
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=6000))]
        rate: Option<u32>,
        /// SMTP relay host [default: smtp.host in the campaign].
        #[arg(long)]
        smtp_host: Option<String>,
        /// SMTP relay port [default: smtp.port in the campaign].
        #[arg(long)]
        smtp_port: Option<u16>,
    },
    /// Serve the landing page: record each click and show the debrief of the lure clicked.
    Serve {
        /// manifest.json written by `drill generate`, or its folder.
        #[arg(long, value_name = "PATH")]
        manifest: PathBuf,
        /// Address to listen on.
        #[arg(long, value_name = "ADDR:PORT", default_value = "127.0.0.1:8080")]
        listen: String,
        /// SQLite database of clicks (created if missing, mode 0600; must be writable).
        #[arg(long, value_name = "FILE", default_value = "drill.sqlite")]
        db: PathBuf,
        /// Seconds a client has to send a request's header (also how long an idle keep-alive
        /// connection stays open).
        #[arg(long, value_name = "SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600))]
        header_timeout: u64,
        /// Seconds after which a connection is closed, whatever it is doing.
        #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..=86400))]
        connection_lifetime: u64,
        /// Connections served at once; more get 503.
        #[arg(long, value_name = "N", default_value_t = 512, value_parser = clap::value_parser!(u64).range(1..=100000))]
        max_connections: u64,
    },
    /// Print the campaign's results (sent, clicked, time to click, per scenario and department).
    Report {
        /// manifest.json written by `drill generate`, or its folder.
        #[arg(long, value_name = "PATH")]
        manifest: PathBuf,
        /// The click database `drill serve` wrote.
        #[arg(long, value_name = "FILE", default_value = "drill.sqlite")]
        db: PathBuf,
        /// Also write the results as a self-contained HTML page.
        #[arg(long, value_name = "FILE.html")]
        html: Option<PathBuf>,
        /// What to print: the figures (text), or one row per lure (csv: spreadsheet-safe, with
        /// Japanese titles and a byte order mark under --lang ja; json: one array of objects).
        #[arg(long, value_enum, default_value_t = ReportFormatArg::Text)]
        format: ReportFormatArg,
        /// An earlier campaign's manifest (or its folder): its click rate, report rate and
        /// reported-before-click rate are shown beside this campaign's, in total and per
        /// department, with the change in points (text and HTML; with --format csv|json the
        /// comparison is written instead of the per-lure rows).
        #[arg(long, value_name = "OTHER_MANIFEST")]
        compare: Option<PathBuf>,
        /// The earlier campaign's database (default: the same as --db, which keeps each
        /// campaign's clicks and reports apart).
        #[arg(long, value_name = "FILE", requires = "compare")]
        compare_db: Option<PathBuf>,
    },
    /// Read the report-to-IT mailbox (mbox, Maildir, folders of .eml/.msg, single files) and
    /// record which lures staff reported, by whom and when (reading it again adds nothing).
    Reports {
        /// manifest.json written by `drill generate`, or its folder.
        #[arg(long, value_name = "PATH")]
        manifest: PathBuf,
        /// The drill database (the one `drill serve` writes clicks to; created if missing).
        #[arg(long, value_name = "FILE", default_value = "drill.sqlite")]
        db: PathBuf,
        /// The report mailbox: mbox files, Maildir folders, folders of .eml or .msg files.
        #[arg(value_name = "MAILBOX", required = true)]
        mailboxes: Vec<PathBuf>,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ReportFormatArg {
    Text,
    Csv,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Text,
    Json,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Validate a configuration file and print the effective configuration.
    Check {
        /// The file to check [default: --config, else the built-in defaults].
        file: Option<PathBuf>,
    },
}

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { 0 };
            let _ = e.print();
            std::process::exit(code);
        }
    };
    std::process::exit(run(cli));
}

fn run(cli: Cli) -> i32 {
    let stdout = std::io::stdout();
    // Not locked: other threads (the milter's workers, a panicking scan) write to stderr too.
    let mut err = std::io::stderr();
    if let Command::Config {
        command: ConfigCommand::Check { file },
    } = &cli.command
    {
        return config_check(
            file.as_ref().or(cli.config.as_ref()),
            cli.signatures.as_deref(),
            cli.dns,
            &mut stdout.lock(),
            &mut err,
        );
    }
    if let Command::Generate { command } = &cli.command {
        return generate(command, &mut stdout.lock(), &mut err);
    }
    if let Command::Milter {
        listen,
        check,
        log_format,
    } = &cli.command
    {
        let json = log_format == "json";
        return milter(&cli, listen.as_deref(), *check, json, &mut err);
    }
    // `filter` and `explain` read one message and exit: their automata are built as NFAs, in a
    // fraction of a DFA's build time (which was most of a short message's run).
    let how = match cli.command {
        Command::Filter { .. } | Command::Explain { .. } => lurescreen::signatures::Build::One,
        _ => lurescreen::signatures::Build::Many,
    };
    let engine = match load::load_for(
        cli.config.as_deref(),
        cli.signatures.as_deref(),
        cli.dns,
        how,
    ) {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::USAGE;
        }
    };
    let lang = engine.config().lang_for(cli.lang.map(Lang::from));
    match cli.command {
        Command::Scan {
            format,
            attachment,
            input,
            report,
            only,
            extract,
            summary_json,
            fail_fast,
            max_errors,
            jobs,
            inputs,
        } => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            let code = if attachment {
                let format = match format {
                    FormatArg::Text => scan::Format::Text,
                    FormatArg::Json => scan::Format::Json,
                    FormatArg::Headers => scan::Format::Headers,
                    FormatArg::Csv | FormatArg::Summary => {
                        let _ = writeln!(
                            err,
                            "lurescreen: --attachment takes --format text, json or headers"
                        );
                        return exit::USAGE;
                    }
                };
                scan::run_attachments(&engine, &inputs, format, lang, &mut out, &mut err)
            } else {
                let opts = batch::Options {
                    input: match input {
                        None => batch::inputs::InputKind::Auto,
                        Some(InputArg::Eml) => batch::inputs::InputKind::Eml,
                        Some(InputArg::Mbox) => batch::inputs::InputKind::Mbox,
                        Some(InputArg::Mboxrd) => batch::inputs::InputKind::Mboxrd,
                        Some(InputArg::Maildir) => batch::inputs::InputKind::Maildir,
                    },
                    format: match format {
                        FormatArg::Text => batch::Format::Text,
                        FormatArg::Json => batch::Format::Json,
                        FormatArg::Headers => batch::Format::Headers,
                        FormatArg::Csv => batch::Format::Csv,
                        FormatArg::Summary => batch::Format::Summary,
                    },
                    lang,
                    only: only.map(|o| match o {
                        OnlyArg::Warn => Verdict::Warn,
                        OnlyArg::Quarantine => Verdict::Quarantine,
                        OnlyArg::Reject => Verdict::Reject,
                    }),
                    report,
                    extract,
                    max_errors: if fail_fast { Some(1) } else { max_errors },
                    jobs: jobs.map_or(0, |j| j as usize),
                    progress: true,
                    summary_json,
                };
                batch::run(&engine, &inputs, &opts, &mut out, &mut err)
            };
            if out.flush().is_err() {
                return exit::IO;
            }
            code
        }
        Command::Explain { file, html } => {
            let mut out = std::io::BufWriter::new(stdout.lock());
            cli::explain::run(&engine, &file, html.as_ref(), lang, &mut out, &mut err)
        }
        Command::Filter { fail_closed } => {
            let opts = filter::Options { fail_closed, lang };
            let stdin = std::io::stdin();
            filter::run(
                Arc::new(engine),
                &mut stdin.lock(),
                &mut stdout.lock(),
                &mut err,
                &opts,
            )
        }
        Command::Drill { command } => drill(
            command,
            engine,
            lang,
            cli.lang.map(Lang::from),
            &mut stdout.lock(),
            &mut err,
        ),
        Command::Rules { format } => rules(engine.signatures(), format, lang, &mut stdout.lock()),
        Command::Tune {
            ham,
            phish,
            out,
            folds,
            seed,
            max_ham_flagged,
            min_count,
            min_score,
            max_score,
            max_context_score,
            l2,
            jobs,
        } => {
            let opts = cli::tune::Options {
                ham,
                phish,
                out,
                folds: folds as usize,
                seed,
                jobs: jobs.map_or(0, |j| j as usize),
                settings: lurescreen::tune::fit::Settings {
                    warn: engine.config().thresholds.warn,
                    quarantine: engine.config().thresholds.quarantine,
                    min_score,
                    max_score,
                    max_context_score,
                    min_count,
                    l2,
                    max_ham_flagged: max_ham_flagged
                        .unwrap_or(lurescreen::tune::fit::Settings::default().max_ham_flagged),
                    at_most_current: max_ham_flagged.is_none(),
                },
            };
            cli::tune::run(&engine, &opts, &mut stdout.lock(), &mut err)
        }
        Command::Config { .. } | Command::Milter { .. } | Command::Generate { .. } => {
            unreachable!("handled above")
        }
    }
}

fn drill(
    command: DrillCommand,
    engine: lurescreen::Engine,
    lang: Lang,
    explicit_lang: Option<Lang>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    match command {
        DrillCommand::Generate {
            list: true,
            campaign,
            ..
        } => cli::drill::list(campaign.as_deref(), lang, out, err),
        DrillCommand::Scenarios { campaign } => {
            cli::drill::list(campaign.as_deref(), lang, out, err)
        }
        DrillCommand::Generate {
            campaign: Some(campaign),
            out: Some(dir),
            allow_uncaught,
            ..
        } => cli::drill::generate(&campaign, &dir, &engine, allow_uncaught, out, err),
        DrillCommand::Generate { .. } => {
            let _ = writeln!(err, "lurescreen: drill generate needs --campaign and --out");
            exit::USAGE
        }
        DrillCommand::Send {
            campaign,
            out: dir,
            yes,
            rate,
            smtp_host,
            smtp_port,
        } => cli::drill::send(
            cli::drill::SendArgs {
                campaign: &campaign,
                out_dir: &dir,
                yes,
                rate,
                host: smtp_host,
                port: smtp_port,
            },
            out,
            err,
        ),
        DrillCommand::Serve {
            manifest,
            listen,
            db,
            header_timeout,
            connection_lifetime,
            max_connections,
        } => {
            let limits = lurescreen::drill::serve::Limits {
                header_timeout: std::time::Duration::from_secs(header_timeout),
                lifetime: std::time::Duration::from_secs(connection_lifetime),
                max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
                ..Default::default()
            };
            cli::drill::serve(&manifest, &listen, &db, limits, explicit_lang, &engine, err)
        }
        DrillCommand::Report {
            manifest,
            db,
            html,
            format,
            compare,
            compare_db,
        } => {
            let compare_db = compare_db.unwrap_or_else(|| db.clone());
            let compare = compare.as_deref().map(|m| (m, compare_db.as_path()));
            let format = match format {
                ReportFormatArg::Text => cli::drill::ReportFormat::Text,
                ReportFormatArg::Csv => cli::drill::ReportFormat::Csv,
                ReportFormatArg::Json => cli::drill::ReportFormat::Json,
            };
            cli::drill::report(
                &manifest,
                &db,
                html.as_deref(),
                compare,
                format,
                lang,
                out,
                err,
            )
        }
        DrillCommand::Reports {
            manifest,
            db,
            mailboxes,
        } => cli::drill::reports(&manifest, &db, &mailboxes, &engine, lang, out, err),
    }
}

fn generate(command: &GenerateCommand, out: &mut dyn Write, err: &mut dyn Write) -> i32 {
    use clap::CommandFactory;
    let result = match command {
        GenerateCommand::Man { dir } => {
            cli::generate::man_pages(Cli::command(), dir).map(|pages| {
                for page in pages {
                    let _ = writeln!(err, "lurescreen: wrote {}", page.display());
                }
            })
        }
        GenerateCommand::Completions { shell, out: dir } => {
            cli::generate::completions(Cli::command(), *shell, dir.as_deref(), out).map(|file| {
                if let Some(file) = file {
                    let _ = writeln!(err, "lurescreen: wrote {}", file.display());
                }
            })
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            exit::IO
        }
    }
}

/// The daemon's configuration file when `--config` is not given.
const DAEMON_CONFIG: &str = "/etc/lurescreen/lurescreen.toml";

fn milter(
    cli: &Cli,
    listen: Option<&str>,
    check: bool,
    json_log: bool,
    err: &mut dyn Write,
) -> i32 {
    let config = cli.config.clone().or_else(|| {
        let default = PathBuf::from(DAEMON_CONFIG);
        default.exists().then_some(default)
    });
    let engine = match load::load_with(config.as_deref(), cli.signatures.as_deref(), cli.dns) {
        Ok(e) => e,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            return exit::USAGE;
        }
    };
    let listen = listen
        .map(str::to_string)
        .unwrap_or_else(|| engine.config().milter.listen.clone());
    if let Err(e) = lurescreen::milter::listen::parse(&listen) {
        let _ = writeln!(err, "lurescreen: {e}");
        return exit::USAGE;
    }
    if check {
        if let Some(note) = engine.signatures().builtin_rules_note() {
            let _ = writeln!(err, "lurescreen: {note}");
        }
        let _ = writeln!(
            err,
            "lurescreen: milter configuration is valid: config {}, signatures {} ({} rules), listen {listen}",
            config
                .as_deref()
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "built-in defaults".into()),
            engine.signatures().origin,
            engine.signatures().rules().count(),
        );
        return 0;
    }
    let sources = lurescreen::milter::Sources {
        config,
        signatures: cli.signatures.clone(),
        lang: cli.lang.map(Lang::from),
    };
    let shared = Arc::new(lurescreen::milter::Shared::new(engine, sources).with_json_log(json_log));
    match lurescreen::milter::run(&listen, shared) {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "lurescreen: {e}");
            exit::SOFTWARE
        }
    }
}

fn rules(signatures: &Signatures, format: RulesFormat, lang: Lang, out: &mut dyn Write) -> i32 {
    let written = match format {
        RulesFormat::Json => {
            let list: Vec<_> = signatures.rules().collect();
            serde_json::to_string_pretty(&list)
                .map_err(std::io::Error::other)
                .and_then(|s| writeln!(out, "{s}"))
        }
        RulesFormat::Text => signatures.rules().try_for_each(|r| {
            let forced = r.min_verdict.map(|v| v.as_str()).unwrap_or("-");
            writeln!(
                out,
                "{:<30} {:>5.1}  {:<10}  {:<9}  {}",
                r.id,
                r.score,
                forced,
                r.class.as_str(),
                r.reason_template(lang)
            )
        }),
    };
    if written.is_err() {
        return exit::IO;
    }
    0
}

fn config_check(
    file: Option<&PathBuf>,
    signatures: Option<&std::path::Path>,
    dns: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    let mut config = match file {
        Some(p) => match Config::load(p) {
            Ok(c) => c,
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {e}");
                return exit::USAGE;
            }
        },
        None => Config::default(),
    };
    config.dns.enabled |= dns;
    if config.scores.file.is_some() || signatures.is_some() {
        // The scores overlay names rules: check it against the signatures it will be laid over;
        // and a signature directory is checked as the daemons will load it.
        match load::load_with(file.map(PathBuf::as_path), signatures, false) {
            Err(e) => {
                let _ = writeln!(err, "lurescreen: {e}");
                return exit::USAGE;
            }
            Ok(engine) => {
                if let Some(note) = engine.signatures().builtin_rules_note() {
                    let _ = writeln!(err, "lurescreen: {note}");
                }
            }
        }
    }
    let origin = file
        .map(|p| format!("# {}: valid\n", p.display()))
        .unwrap_or_else(|| "# no config file: built-in defaults\n".into());
    if write!(out, "{origin}{}", config.to_toml()).is_err() {
        return exit::IO;
    }
    0
}
