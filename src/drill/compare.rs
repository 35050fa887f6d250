//! `drill report --compare`: this campaign's click rate (human clicks), report rate and
//! reported-before-click rate beside an earlier campaign's, in total and per department, with the
//! change in percentage points, as text and as an HTML section.

use super::report::{Results, Row, esc, pad, pct};
use crate::lang::Lang;
use std::collections::BTreeSet;

/// The compared figures of one group in one campaign, as shares of the lures sent. The report
/// figures are `None` when that campaign has no report-to-IT figures (no report address and no
/// reports read): 0% would wrongly say nobody reported.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures {
    pub click_rate: f64,
    pub report_rate: Option<f64>,
    pub reported_first_rate: Option<f64>,
}

impl Figures {
    fn of(row: &Row, reports: bool) -> Figures {
        let share = |n: usize| {
            if row.sent == 0 {
                0.0
            } else {
                n as f64 / row.sent as f64
            }
        };
        Figures {
            click_rate: row.rate(),
            report_rate: reports.then(|| row.report_rate()),
            reported_first_rate: reports.then(|| share(row.reported_first)),
        }
    }
}

/// One line of the comparison: the whole campaign (`key` None) or a department, with its figures
/// in this campaign and in the earlier one (`None`: the department is not in that campaign).
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub key: Option<String>,
    pub this: Option<Figures>,
    pub earlier: Option<Figures>,
}

/// The comparison of `this` campaign with an `earlier` one.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub earlier_campaign: String,
    pub earlier_organisation: String,
    /// The whole campaign first, then every department of either campaign, in name order.
    pub lines: Vec<Line>,
}

/// Lines up this campaign's figures with the earlier one's, department by department.
pub fn compare(this: &Results, earlier: &Results) -> Comparison {
    let (rt, re) = (this.reports_shown(), earlier.reports_shown());
    let mut lines = vec![Line {
        key: None,
        this: Some(Figures::of(&this.total, rt)),
        earlier: Some(Figures::of(&earlier.total, re)),
    }];
    let departments: BTreeSet<&str> = this
        .per_department
        .iter()
        .chain(&earlier.per_department)
        .map(|r| r.key.as_str())
        .collect();
    let find = |rows: &[Row], key: &str, reports: bool| {
        rows.iter()
            .find(|r| r.key == key)
            .map(|r| Figures::of(r, reports))
    };
    for d in departments {
        lines.push(Line {
            key: Some(d.to_string()),
            this: find(&this.per_department, d, rt),
            earlier: find(&earlier.per_department, d, re),
        });
    }
    Comparison {
        earlier_campaign: earlier.campaign.clone(),
        earlier_organisation: earlier.organisation.clone(),
        lines,
    }
}

/// The change from `earlier` to `this` in percentage points (`+12.5 pt`, `-3.0 pt`, `0.0 pt`),
/// or `-` when either is missing.
pub fn change(this: Option<f64>, earlier: Option<f64>, lang: Lang) -> String {
    let (Some(a), Some(b)) = (this, earlier) else {
        return "-".into();
    };
    let points = ((a - b) * 1000.0).round() / 10.0;
    let unit = match lang {
        Lang::Ja => "ポイント",
        Lang::En => "pt",
    };
    if points == 0.0 {
        format!("0.0 {unit}")
    } else {
        format!("{points:+.1} {unit}")
    }
}

fn rate(v: Option<f64>) -> String {
    v.map_or("-".into(), pct)
}

type Metric = fn(&Figures) -> Option<f64>;

/// The three compared figures: title in English and Japanese, value, and whether a rise is good.
const METRICS: [(&str, &str, Metric, bool); 3] = [
    (
        "click rate (human clicks)",
        "クリック率（人によるクリック）",
        |f| Some(f.click_rate),
        false,
    ),
    ("report rate", "報告率", |f| f.report_rate, true),
    (
        "reported before clicking (of lures sent)",
        "クリック前に報告（送信数に対する割合）",
        |f| f.reported_first_rate,
        true,
    ),
];

fn label(line: &Line, lang: Lang) -> String {
    match (&line.key, lang) {
        (Some(k), _) => k.clone(),
        (None, Lang::Ja) => "全体".into(),
        (None, Lang::En) => "all".into(),
    }
}

/// The comparison as text, one table per figure, columns aligned by display width.
pub fn text(c: &Comparison, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let mut out = if ja {
        format!(
            "\n前回の訓練キャンペーン {}（{}）との比較\n",
            c.earlier_campaign, c.earlier_organisation
        )
    } else {
        format!(
            "\ncompared with the earlier campaign {} ({})\n",
            c.earlier_campaign, c.earlier_organisation
        )
    };
    for (en, jp, metric, _) in METRICS {
        out.push_str(&format!(
            "\n{} {} {} {}\n",
            pad(if ja { jp } else { en }, 42, false),
            pad(if ja { "今回" } else { "this" }, 8, true),
            pad(if ja { "前回" } else { "earlier" }, 8, true),
            pad(if ja { "差" } else { "change" }, 14, true)
        ));
        for line in &c.lines {
            let this = line.this.as_ref().and_then(metric);
            let earlier = line.earlier.as_ref().and_then(metric);
            out.push_str(&format!(
                "{} {} {} {}\n",
                pad(&label(line, lang), 42, false),
                pad(&rate(this), 8, true),
                pad(&rate(earlier), 8, true),
                pad(&change(this, earlier, lang), 14, true)
            ));
        }
    }
    out
}

/// The comparison as an HTML section: one table, a column group per figure; a change is marked
/// `better` or `worse` (fewer clicks, more reports are better).
pub fn html(c: &Comparison, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let t = |en: &'static str, jp: &'static str| if ja { jp } else { en };
    let mut s = format!(
        "<section class=\"compare\"><h2>{}</h2><p>{} <code>{}</code>{}{}{}</p><table><tr><th rowspan=\"2\">{}</th>",
        t(
            "Compared with the earlier campaign",
            "前回の訓練キャンペーンとの比較"
        ),
        t("Earlier campaign:", "前回のキャンペーン："),
        esc(&c.earlier_campaign),
        t(" (", "（"),
        esc(&c.earlier_organisation),
        t(")", "）"),
        t("department", "部署")
    );
    for (en, jp, _, _) in METRICS {
        s.push_str(&format!(
            "<th colspan=\"3\" class=\"group\">{}</th>",
            t(en, jp)
        ));
    }
    s.push_str("</tr><tr>");
    for _ in METRICS {
        s.push_str(&format!(
            "<th>{}</th><th>{}</th><th>{}</th>",
            t("this", "今回"),
            t("earlier", "前回"),
            t("change", "差")
        ));
    }
    s.push_str("</tr>");
    for line in &c.lines {
        let name = esc(&label(line, lang));
        s.push_str(&if line.key.is_none() {
            format!("<tr class=\"total\"><td><b>{name}</b></td>")
        } else {
            format!("<tr><td>{name}</td>")
        });
        for (_, _, metric, rise_is_good) in METRICS {
            let this = line.this.as_ref().and_then(metric);
            let earlier = line.earlier.as_ref().and_then(metric);
            let class = match (this, earlier) {
                (Some(a), Some(b)) if ((a - b) * 1000.0).round() != 0.0 => {
                    if (a > b) == rise_is_good {
                        " class=\"better\""
                    } else {
                        " class=\"worse\""
                    }
                }
                _ => "",
            };
            s.push_str(&format!(
                "<td>{}</td><td>{}</td><td{class}>{}</td>",
                rate(this),
                rate(earlier),
                change(this, earlier, lang)
            ));
        }
        s.push_str("</tr>");
    }
    s.push_str(&format!(
        "</table><p><small>{}</small></p></section>",
        t(
            "A dash: the department is not in that campaign, or that campaign has no report-to-IT figures. Changes in percentage points; green is better, red worse.",
            "「-」は、その部署がそのキャンペーンにない、またはそのキャンペーンに報告の集計がないことを示します。差はパーセントポイント（ポイント）で、緑は改善、赤は悪化です。"
        )
    ));
    s
}

/// Column titles of the comparison as CSV (en, ja).
const CSV_COLUMNS: &[(&str, &str)] = &[
    ("department", "部署"),
    ("click_rate_this", "クリック率_今回"),
    ("click_rate_earlier", "クリック率_前回"),
    ("click_rate_change_points", "クリック率_差_ポイント"),
    ("report_rate_this", "報告率_今回"),
    ("report_rate_earlier", "報告率_前回"),
    ("report_rate_change_points", "報告率_差_ポイント"),
    ("reported_before_click_this", "クリック前の報告_今回"),
    ("reported_before_click_earlier", "クリック前の報告_前回"),
    (
        "reported_before_click_change_points",
        "クリック前の報告_差_ポイント",
    ),
];

/// The three compared figures of `line` as (this, earlier, change in points), in percent with
/// one decimal; empty where a campaign has no such figure.
fn csv_figures(line: &Line) -> Vec<String> {
    let get = |f: Option<&Figures>, which: usize| -> Option<f64> {
        let f = f?;
        match which {
            0 => Some(f.click_rate),
            1 => f.report_rate,
            _ => f.reported_first_rate,
        }
    };
    let mut out = Vec::new();
    for which in 0..3 {
        let this = get(line.this.as_ref(), which);
        let earlier = get(line.earlier.as_ref(), which);
        let cell = |v: Option<f64>| v.map_or(String::new(), |v| format!("{:.1}", v * 100.0));
        out.push(cell(this));
        out.push(cell(earlier));
        out.push(match (this, earlier) {
            (Some(t), Some(e)) => format!("{:+.1}", (t - e) * 100.0),
            _ => String::new(),
        });
    }
    out
}

/// The comparison as CSV: one row for the whole campaign (department `(all)`, 「全体」), then
/// one per department; rates in percent, changes in points, empty where a campaign has no
/// figure. Japanese titles and a byte order mark for `ja`, as `report::csv`.
pub fn csv(c: &Comparison, lang: Lang) -> Result<Vec<u8>, String> {
    let ja = lang == Lang::Ja;
    let mut w = super::report::csv_writer(CSV_COLUMNS, lang)?;
    let err = |e: csv::Error| e.to_string();
    for line in &c.lines {
        let department = match &line.key {
            Some(k) => super::report::csv_cell(k),
            None if ja => "全体".to_string(),
            None => "(all)".to_string(),
        };
        let mut record = vec![department];
        record.extend(csv_figures(line));
        w.write_record(&record).map_err(err)?;
    }
    w.into_inner().map_err(|e| e.to_string())
}

/// The comparison as JSON: the earlier campaign and one object per line (`department` null for
/// the whole campaign), each campaign's rates as fractions (null where it has none).
pub fn json(c: &Comparison) -> String {
    let figures = |f: &Option<Figures>| {
        f.map(|f| {
            serde_json::json!({
                "click_rate": f.click_rate,
                "report_rate": f.report_rate,
                "reported_before_click_rate": f.reported_first_rate,
            })
        })
    };
    let lines: Vec<serde_json::Value> = c
        .lines
        .iter()
        .map(|l| {
            serde_json::json!({
                "department": l.key,
                "this": figures(&l.this),
                "earlier": figures(&l.earlier),
            })
        })
        .collect();
    let value = serde_json::json!({
        "earlier_campaign": c.earlier_campaign,
        "earlier_organisation": c.earlier_organisation,
        "lines": lines,
    });
    serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_in_points_with_a_sign_and_a_dash_when_one_side_is_missing() {
        assert_eq!(change(Some(0.5), Some(0.25), Lang::En), "+25.0 pt");
        assert_eq!(change(Some(0.1), Some(0.25), Lang::Ja), "-15.0 ポイント");
        assert_eq!(change(Some(0.3), Some(0.3), Lang::En), "0.0 pt");
        assert_eq!(change(None, Some(0.3), Lang::En), "-");
        assert_eq!(change(Some(0.3), None, Lang::Ja), "-");
    }
}
