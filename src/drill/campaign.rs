//! The campaign file (`campaign.toml`) and its recipient list (CSV), read and checked.

use super::DrillError;
use super::scenario::{Catalogue, Scenario};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// One drill campaign, as written in `campaign.toml` (see `corpus/drills/campaign.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// Short identifier, sent in the `X-Lurescreen-Drill` header of every lure.
    pub id: String,
    /// Seed of the per-recipient tokens: keep it private, or tokens can be computed. When
    /// absent, `drill generate` makes one and keeps it in `seed` beside the manifest (mode 0600).
    #[serde(default)]
    pub seed: Option<String>,
    /// Date of every lure (RFC 3339): fixed so that generation is reproducible.
    pub date: String,
    /// `eml` (one file per lure) or `mbox` (one `lures.mbox`).
    #[serde(default)]
    pub format: OutputFormat,
    /// Language of the debrief page (`ja` or `en`) for recipients whose row gives none; not set:
    /// the language of the scenario clicked.
    #[serde(default)]
    pub lang: Option<String>,
    /// Scenario ids to use (`lurescreen drill scenarios` shows them); empty: all.
    #[serde(default)]
    pub scenarios: Vec<String>,
    /// Folder of scenario files, relative to the campaign file; not set: `scenarios/` beside the
    /// campaign file when there is one.
    #[serde(default)]
    pub scenarios_dir: Option<PathBuf>,
    /// Base of every link in the lures: clicks land on `<landing_url>/t/<token>`.
    pub landing_url: String,
    pub organisation: Organisation,
    /// Recipient CSV, relative to the campaign file.
    pub recipients: PathBuf,
    pub sender: Sender,
    #[serde(default)]
    pub smtp: Smtp,
    /// `one` (default): one scenario per person, chosen from the seed and balanced across
    /// departments; `all`: every scenario to everyone.
    #[serde(default)]
    pub assign: Assign,
    /// Which wave this campaign is (1 and up): with the same seed and recipients, each wave
    /// gives each person the next scenario in a seeded cycle (`assign = "one"` only).
    #[serde(default = "first_wave")]
    pub wave: u32,
    /// When to deliver: not set, `drill send` sends every lure at once.
    #[serde(default)]
    pub schedule: Option<Schedule>,
    /// Where staff report suspicious mail (report-to-IT): shown on the debrief page, and the
    /// mailbox `drill reports` reads.
    #[serde(default)]
    pub report: Option<ReportTo>,
    /// Open tracking (off by default): the HTML body gets a per-lure 1×1 image on the landing
    /// server (`<landing_url>/o/<token>.gif`) and mock HTML attachments a per-lure beacon image
    /// (`<landing_url>/a/<token>.gif`). Opens are an unreliable figure (images blocked, image
    /// proxies, Apple Mail Privacy Protection) and are reported apart from clicks.
    #[serde(default)]
    pub track_opens: bool,
}

/// The `[report]` table: the address staff report suspicious mail to and what the debrief page
/// tells them about reporting. In the texts, `{address}` stands for the address.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ReportTo {
    /// The report address (the security team's mailbox).
    pub address: String,
    /// How to report, in English; not set: forward it as an attachment to the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    /// How to report, in Japanese; not set: the same in Japanese.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how_ja: Option<String>,
    /// Whom to contact when something was clicked or entered (phone, desk), in English; not set:
    /// the address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_ja: Option<String>,
}

/// Longest text of the `[report]` table (they go on every debrief page).
const MAX_REPORT_TEXT: usize = 2000;

impl ReportTo {
    /// How to report, in `ja` or English, with `{address}` filled in.
    pub fn how_text(&self, ja: bool) -> String {
        let given = if ja { &self.how_ja } else { &self.how };
        let text = match given {
            Some(t) => t.as_str(),
            None if ja => {
                "不審なメールを受け取ったら、リンクや添付ファイルを開かずに {address} へ「添付ファイルとして転送」してください（Outlook ではメールを選んで Ctrl+Alt+F）。メールソフトに「報告」ボタンがあれば、それを使ってもかまいません。訓練のメールも、報告すれば「報告した」と記録されます。"
            }
            None => {
                "When a mail looks suspicious, do not open its links or attachments: forward it as an attachment to {address} (in Outlook: select the mail, then Ctrl+Alt+F), or use the Report button of your mail program if it has one. Drill mails you report are counted as reported."
            }
        };
        text.replace("{address}", &self.address)
    }

    /// Whom to contact, in `ja` or English, with `{address}` filled in.
    pub fn contact_text(&self, ja: bool) -> String {
        let given = if ja { &self.contact_ja } else { &self.contact };
        let text = match given {
            Some(t) => t.as_str(),
            None if ja => {
                "本物の攻撃メールでリンクを開いたり、パスワードを入力したりしてしまったときは、すぐに {address} へ連絡してください。早く知らせることが何より大切です。"
            }
            None => {
                "If you opened a link or entered a password in a real attack mail, tell {address} at once: reporting quickly matters more than anything else."
            }
        };
        text.replace("{address}", &self.address)
    }

    fn check(&self) -> Result<(), String> {
        if domain_of(&self.address).is_none() || self.address.contains(['<', '>', '"', ',']) {
            return Err(format!(
                "report.address `{}` is not a plain address (security@example.co.jp)",
                self.address
            ));
        }
        for (key, text) in [
            ("how", &self.how),
            ("how_ja", &self.how_ja),
            ("contact", &self.contact),
            ("contact_ja", &self.contact_ja),
        ] {
            if let Some(t) = text
                && (t.trim().is_empty() || t.chars().count() > MAX_REPORT_TEXT)
            {
                return Err(format!(
                    "report.{key}: give a text of 1 to {MAX_REPORT_TEXT} characters, or leave it out"
                ));
            }
        }
        Ok(())
    }
}

fn first_wave() -> u32 {
    1
}

/// How scenarios are given out.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Assign {
    /// One scenario per person per wave (see [`super::plan::assign_one`]).
    #[default]
    One,
    /// Every scenario to every person.
    All,
}

/// The `[schedule]` table: the lures are spread over business hours from `start` on `days` days.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Schedule {
    /// RFC 3339 with a UTC offset; the hours and days are in that offset.
    pub start: String,
    #[serde(default = "one_day")]
    pub days: u32,
    #[serde(default = "office_hours")]
    pub hours: String,
    #[serde(default = "yes")]
    pub weekdays_only: bool,
}

fn one_day() -> u32 {
    1
}

fn office_hours() -> String {
    "09:00-18:00".into()
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    #[default]
    Eml,
    Mbox,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    pub name: String,
    pub name_ja: String,
    /// The organisation's own domains; the first is the one lures imitate. Recipients must be
    /// at one of these (or their subdomains).
    pub domains: Vec<String>,
}

/// Who the mock lures claim to be.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sender {
    /// A free mail address the drill team controls (scenarios posing from free mail).
    pub freemail: String,
    /// A lookalike of the organisation's domain the drill team controls (local parts are chosen
    /// by the scenario: `it-support@`, `jinji@`...).
    pub lookalike_domain: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Smtp {
    pub host: String,
    pub port: u16,
    /// Envelope sender (MAIL FROM): bounces go here, so use the drill team's own address.
    pub envelope_from: String,
    /// EHLO name.
    pub helo: String,
    /// Messages per minute, at most.
    pub rate_per_minute: u32,
}

impl Default for Smtp {
    fn default() -> Self {
        Smtp {
            host: "127.0.0.1".into(),
            port: 25,
            envelope_from: String::new(),
            helo: "localhost".into(),
            rate_per_minute: 30,
        }
    }
}

/// One row of the recipient CSV.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct Recipient {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub department: String,
    /// The name as written in Japanese lures; `name` when empty.
    #[serde(default)]
    pub name_ja: String,
    /// The person's language for the debrief page (`ja` or `en`); empty: the campaign's.
    #[serde(default)]
    pub lang: String,
}

impl Recipient {
    pub fn name_for(&self, ja: bool) -> &str {
        if ja && !self.name_ja.is_empty() {
            &self.name_ja
        } else {
            &self.name
        }
    }
}

/// A campaign with its recipients loaded.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub campaign: Campaign,
    /// The token seed: the campaign's, or (when it has none) a random one until
    /// [`Loaded::use_seed_file`] replaces it with the one kept beside the manifest.
    pub seed: String,
    pub recipients: Vec<Recipient>,
    /// The campaign's date as a Unix timestamp, and as it appears in the `Date:` header.
    pub timestamp: i64,
    pub date_header: String,
    /// The delivery window of `[schedule]`, checked.
    pub window: Option<super::plan::Window>,
    /// The scenarios it can use: built-in ones and its folder's.
    pub catalogue: Catalogue,
}

/// Lower-cased domain of an address (`a@B.example` → `b.example`).
pub fn domain_of(address: &str) -> Option<String> {
    let (local, domain) = address.trim().rsplit_once('@')?;
    if local.is_empty() || domain.is_empty() || domain.contains(char::is_whitespace) {
        return None;
    }
    Some(domain.to_ascii_lowercase())
}

/// Whether `domain` is one of `domains` or a subdomain of one.
pub fn within(domain: &str, domains: &[String]) -> bool {
    domains.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        domain == d || domain.ends_with(&format!(".{d}"))
    })
}

impl Campaign {
    pub fn parse(text: &str) -> Result<Campaign, DrillError> {
        toml::from_str(text).map_err(|e| DrillError::Campaign(e.to_string()))
    }

    /// Reads the campaign file and the recipient CSV beside it.
    pub fn load(path: &Path) -> Result<Loaded, DrillError> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| DrillError::Io(format!("{}: {e}", path.display())))?;
        let campaign = Campaign::parse(&text)
            .map_err(|e| DrillError::Campaign(format!("{}: {e}", path.display())))?;
        let csv_path = path
            .parent()
            .unwrap_or_else(|| Path::new(""))
            .join(&campaign.recipients);
        let csv = std::fs::read(&csv_path)
            .map_err(|e| DrillError::Io(format!("{}: {e}", csv_path.display())))?;
        let recipients = read_recipients(&csv)
            .map_err(|e| DrillError::Campaign(format!("{}: {e}", csv_path.display())))?;
        let catalogue = Campaign::catalogue_for(&campaign, path)?;
        campaign.with_catalogue(recipients, catalogue)
    }

    /// The scenarios a campaign file can use: the built-in ones and those of its folder
    /// (`scenarios_dir`, else `scenarios/` beside the file when there is one).
    pub fn catalogue_for(campaign: &Campaign, path: &Path) -> Result<Catalogue, DrillError> {
        let base = path.parent().unwrap_or_else(|| Path::new(""));
        let dir = match &campaign.scenarios_dir {
            Some(d) => {
                let dir = base.join(d);
                if !dir.is_dir() {
                    return Err(DrillError::Campaign(format!(
                        "{}: scenarios_dir: {} is not a folder",
                        path.display(),
                        dir.display()
                    )));
                }
                Some(dir)
            }
            None => Some(base.join("scenarios")).filter(|d| d.is_dir()),
        };
        match dir {
            Some(d) => Catalogue::with_folder(&d).map_err(|e| DrillError::Scenario(e.to_string())),
            None => Ok(Catalogue::built_in()),
        }
    }

    /// Checks the campaign against its recipients (with the built-in scenarios only) and makes
    /// it ready to generate.
    pub fn with_recipients(self, recipients: Vec<Recipient>) -> Result<Loaded, DrillError> {
        self.with_catalogue(recipients, Catalogue::built_in())
    }

    /// Checks the campaign against its recipients and scenarios and makes it ready to generate.
    pub fn with_catalogue(
        self,
        recipients: Vec<Recipient>,
        catalogue: Catalogue,
    ) -> Result<Loaded, DrillError> {
        let bad = |m: String| Err(DrillError::Campaign(m));
        if self.id.is_empty()
            || !self
                .id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return bad(format!(
                "id `{}`: use letters, digits, `-`, `_` and `.` only",
                self.id
            ));
        }
        if let Some(seed) = &self.seed {
            check_seed(seed).map_err(DrillError::Campaign)?;
        }
        let Some(date) = mail_parser::DateTime::parse_rfc3339(&self.date) else {
            return bad(format!(
                "date `{}` is not RFC 3339 (2026-12-01T09:30:00+09:00)",
                self.date
            ));
        };
        match url::Url::parse(&self.landing_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => {}
            _ => {
                return bad(format!(
                    "landing_url `{}` is not an http(s) URL",
                    self.landing_url
                ));
            }
        }
        if self.organisation.domains.is_empty() {
            return bad("organisation.domains is empty".into());
        }
        if domain_of(&self.sender.freemail).is_none() {
            return bad(format!(
                "sender.freemail `{}` is not an address",
                self.sender.freemail
            ));
        }
        let look = self.sender.lookalike_domain.to_ascii_lowercase();
        if look.is_empty() || within(&look, &self.organisation.domains) {
            return bad(format!(
                "sender.lookalike_domain `{look}` must be a domain other than the organisation's"
            ));
        }
        for s in &self.scenarios {
            if catalogue.find(s).is_none() {
                return bad(format!(
                    "unknown scenario `{s}` (known: {})",
                    catalogue
                        .scenarios
                        .iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
        }
        if let Some(l) = &self.lang
            && !matches!(l.as_str(), "ja" | "en")
        {
            return bad(format!("lang `{l}`: use `ja` or `en`"));
        }
        if recipients.is_empty() {
            return bad("the recipient list is empty".into());
        }
        let mut seen = std::collections::HashSet::new();
        for r in &recipients {
            if domain_of(&r.email).is_none() {
                return bad(format!("recipient `{}` has no valid address", r.email));
            }
            if !matches!(r.lang.as_str(), "" | "ja" | "en") {
                return bad(format!(
                    "recipient `{}`: lang `{}`: use `ja`, `en` or nothing",
                    r.email, r.lang
                ));
            }
            if !seen.insert(r.email.to_ascii_lowercase()) {
                return bad(format!("recipient `{}` is listed twice", r.email));
            }
        }
        if let Some(r) = &self.report {
            r.check().map_err(DrillError::Campaign)?;
        }
        if self.wave == 0 {
            return bad("wave = 0: waves count from 1".into());
        }
        if self.wave > 1 && self.assign == Assign::All {
            return bad(format!(
                "wave = {}: waves need assign = \"one\" (with \"all\" everyone gets every scenario)",
                self.wave
            ));
        }
        let window = match &self.schedule {
            Some(s) => Some(super::plan::Window::new(
                &s.start,
                s.days,
                &s.hours,
                s.weekdays_only,
            )?),
            None => None,
        };
        let seed = match &self.seed {
            Some(s) => s.clone(),
            None => random_seed().map_err(|e| DrillError::Io(format!("random seed: {e}")))?,
        };
        Ok(Loaded {
            seed,
            timestamp: date.to_timestamp(),
            date_header: date.to_rfc822(),
            window,
            campaign: self,
            recipients,
            catalogue,
        })
    }
}

/// The seed in the example campaign file: refused, or every copy of the example would share it.
pub const EXAMPLE_SEED: &str = "change-me-to-a-long-random-string";

/// Bits of entropy a seed needs at least.
pub const MIN_SEED_BITS: f64 = 128.0;

/// A conservative estimate of the entropy of a seed a person chose: its length times the bits
/// per character of the smallest alphabet it could come from (16 for hex; else the classes it
/// uses: lower case, upper case, digits, other ASCII, other); a seed of fewer than 10 distinct
/// characters counts `log2(distinct)` bits per character (`aaaa…` or `abab…` is weak however
/// long), and the total is at most that per character times (distinct 3-character windows + 2),
/// so a repeated pattern counts once.
pub fn seed_bits(seed: &str) -> f64 {
    let chars: Vec<char> = seed.chars().collect();
    if chars.is_empty() {
        return 0.0;
    }
    let hex = chars.iter().all(char::is_ascii_hexdigit)
        && (!chars.iter().any(char::is_ascii_uppercase)
            || !chars.iter().any(char::is_ascii_lowercase));
    let alphabet: f64 = if hex {
        16.0
    } else {
        let mut a = 0.0;
        if chars.iter().any(char::is_ascii_lowercase) {
            a += 26.0;
        }
        if chars.iter().any(char::is_ascii_uppercase) {
            a += 26.0;
        }
        if chars.iter().any(char::is_ascii_digit) {
            a += 10.0;
        }
        if chars
            .iter()
            .any(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
        {
            a += 33.0;
        }
        if chars.iter().any(|c| !c.is_ascii()) {
            a += 100.0;
        }
        a
    };
    let distinct = chars.iter().collect::<std::collections::HashSet<_>>().len() as f64;
    let per_char = if distinct < 10.0 {
        distinct.log2()
    } else {
        alphabet.log2()
    };
    let windows = chars
        .windows(3)
        .collect::<std::collections::HashSet<_>>()
        .len() as f64;
    per_char * (chars.len() as f64).min(windows + 2.0)
}

/// Refuses the example seed and seeds under [`MIN_SEED_BITS`].
pub fn check_seed(seed: &str) -> Result<(), String> {
    if seed.trim() == EXAMPLE_SEED || seed.contains("change-me") {
        return Err(format!(
            "seed: `{seed}` is the example's; anyone who has read the example could compute every token. Remove the line (generate then makes a random seed and keeps it beside the manifest) or use e.g. `openssl rand -hex 32`"
        ));
    }
    let bits = seed_bits(seed);
    if bits < MIN_SEED_BITS {
        return Err(format!(
            "seed: about {bits:.0} bits of entropy, at least {MIN_SEED_BITS:.0} needed (e.g. 32 random hex digits; `openssl rand -hex 32` gives 256 bits), or remove the line to have one made"
        ));
    }
    Ok(())
}

/// 32 random bytes as 64 hex digits.
pub fn random_seed() -> std::io::Result<String> {
    use std::io::Read;
    let mut buf = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// File beside the manifest holding the seed `generate` made (when the campaign has none).
pub const SEED_FILE: &str = "seed";

impl Loaded {
    /// For a campaign without a seed: reads the one kept in `dir/seed` (so generating again gives
    /// the same tokens), or keeps the random one there (mode 0600). A campaign with a seed: no-op.
    pub fn use_seed_file(&mut self, dir: &Path) -> Result<(), DrillError> {
        if self.campaign.seed.is_some() {
            return Ok(());
        }
        let path = dir.join(SEED_FILE);
        let io = |e: std::io::Error| DrillError::Io(format!("{}: {e}", path.display()));
        match std::fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_file() => {
                let kept = std::fs::read_to_string(&path).map_err(io)?;
                let kept = kept.trim();
                check_seed(kept)
                    .map_err(|e| DrillError::Campaign(format!("{}: {e}", path.display())))?;
                self.seed = kept.to_string();
                Ok(())
            }
            Ok(_) => Err(DrillError::Io(format!(
                "{}: exists and is not a regular file",
                path.display()
            ))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(dir).map_err(io)?;
                super::write_private(&path, format!("{}\n", self.seed).as_bytes()).map_err(io)
            }
            Err(e) => Err(io(e)),
        }
    }
}

/// Parses the recipient CSV (header row: `name,email,department,name_ja`; the last two optional).
pub fn read_recipients(data: &[u8]) -> Result<Vec<Recipient>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .comment(Some(b'#'))
        .from_reader(data);
    reader
        .deserialize()
        .map(|r| r.map_err(|e| e.to_string()))
        .collect()
}

impl Loaded {
    /// The scenarios this campaign uses, in the order given (all of the catalogue when none is:
    /// the built-in ones, then the folder's new ones).
    pub fn scenarios(&self) -> Vec<Arc<Scenario>> {
        if self.campaign.scenarios.is_empty() {
            self.catalogue.scenarios.clone()
        } else {
            self.campaign
                .scenarios
                .iter()
                .filter_map(|s| self.catalogue.find(s).cloned())
                .collect()
        }
    }

    /// Each lure to build: a recipient (index into `recipients`) and a scenario, recipients in
    /// file order (with `assign = "all"`, each with every scenario in campaign order).
    pub fn assignments(&self) -> Vec<(usize, Arc<Scenario>)> {
        let scenarios = self.scenarios();
        match self.campaign.assign {
            Assign::All => (0..self.recipients.len())
                .flat_map(|r| scenarios.iter().map(move |s| (r, Arc::clone(s))))
                .collect(),
            Assign::One => {
                let people: Vec<(&str, &str)> = self
                    .recipients
                    .iter()
                    .map(|r| (r.email.as_str(), r.department.as_str()))
                    .collect();
                let refs: Vec<&Scenario> = scenarios.iter().map(|s| &**s).collect();
                super::plan::assign_one(&self.seed, &people, &refs, self.campaign.wave)
                    .into_iter()
                    .enumerate()
                    .map(|(r, s)| (r, Arc::clone(&scenarios[s])))
                    .collect()
            }
        }
    }

    /// The debrief language of a recipient: theirs, else the campaign's, else empty (the
    /// scenario's).
    pub fn lang_of(&self, r: &Recipient) -> String {
        if r.lang.is_empty() {
            self.campaign.lang.clone().unwrap_or_default()
        } else {
            r.lang.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_and_subdomains_are_within() {
        let own = vec!["Example.co.jp".to_string()];
        assert!(within("example.co.jp", &own));
        assert!(within("mail.example.co.jp", &own));
        assert!(!within("badexample.co.jp", &own));
        assert_eq!(domain_of("A@Mail.Example"), Some("mail.example".into()));
        assert_eq!(domain_of("nobody"), None);
        assert_eq!(domain_of("@x"), None);
    }

    #[test]
    fn report_addresses_and_texts_are_checked_and_filled_in() {
        let r = |address: &str| ReportTo {
            address: address.into(),
            ..ReportTo::default()
        };
        assert!(r("security@example.co.jp").check().is_ok());
        for bad in ["", "security", "Sec <security@example.co.jp>", "a@b\"c"] {
            assert!(r(bad).check().is_err(), "{bad}");
        }
        let mut t = r("security@example.co.jp");
        assert!(t.how_text(true).contains("security@example.co.jp へ"));
        assert!(t.how_text(false).contains("to security@example.co.jp"));
        assert!(t.contact_text(true).contains("security@example.co.jp"));
        t.contact = Some("Help desk, ext. 1234 ({address})".into());
        assert_eq!(
            t.contact_text(false),
            "Help desk, ext. 1234 (security@example.co.jp)"
        );
        t.how_ja = Some(" ".into());
        assert!(t.check().is_err(), "an empty text");
        t.how_ja = Some("x".repeat(MAX_REPORT_TEXT + 1));
        assert!(t.check().is_err(), "a text too long");
        let parsed = Campaign::parse(
            "id = \"c\"\ndate = \"2026-12-01T09:30:00+09:00\"\nlanding_url = \"http://x.example\"\nrecipients = \"r.csv\"\n\
             [organisation]\nname = \"o\"\nname_ja = \"o\"\ndomains = [\"example.co.jp\"]\n\
             [sender]\nfreemail = \"a@gmail.com\"\nlookalike_domain = \"examp1e.co.jp\"\n\
             [report]\naddress = \"security@example.co.jp\"\nhow_ja = \"{address} へ転送\"\n",
        )
        .unwrap();
        assert_eq!(
            parsed.report.unwrap().how_text(true),
            "security@example.co.jp へ転送"
        );
    }

    #[test]
    fn weak_and_example_seeds_are_refused() {
        assert!(check_seed(EXAMPLE_SEED).is_err());
        assert!(check_seed("short-seed-123").is_err());
        assert!(check_seed(&"a".repeat(200)).is_err());
        assert!(check_seed(&"ab".repeat(100)).is_err());
        assert!(
            check_seed(&"0123456789abcdef".repeat(8)).is_err(),
            "a pattern"
        );
        // 31 hex digits are 124 bits; 32 are 128.
        let hex32 = "9f3a0c7be21d5846af03c9e7b1d2f580";
        assert!(check_seed(&hex32[..31]).is_err());
        assert!(check_seed(hex32).is_ok());
        assert!(check_seed("Kq8#vTz2!mWp9xLr4&bNc7@hYd").is_ok());
        let r = random_seed().unwrap();
        assert_eq!(r.len(), 64);
        assert!(check_seed(&r).is_ok());
        assert_ne!(r, random_seed().unwrap());
    }

    #[test]
    fn recipients_parse_with_optional_columns() {
        let r = read_recipients(b"name,email\nTaro Yamada,taro@example.co.jp\n").unwrap();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].name_for(true), "Taro Yamada");
        assert!(read_recipients(b"name,email\nonly-one-field\n").is_err());
    }
}
