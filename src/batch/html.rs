//! `scan --report FILE.html`: one self-contained page (no external assets, inline SVG charts, a
//! few lines of plain JavaScript to sort the table), in English or Japanese.
//!
//! Everything taken from a message is HTML-escaped and its hidden characters made visible; a
//! Content-Security-Policy forbids the page to load or send anything.

use super::report::{Labels, Record, Totals, labels};
use crate::finding::Verdict;
use crate::lang::Lang;
use crate::text::hidden::visible;
use std::fmt::Write as _;

const VERDICTS: [Verdict; 4] = [
    Verdict::Clean,
    Verdict::Warn,
    Verdict::Quarantine,
    Verdict::Reject,
];

fn color(v: Verdict) -> &'static str {
    match v {
        Verdict::Clean => "#3a9d5d",
        Verdict::Warn => "#e0a100",
        Verdict::Quarantine => "#d2453b",
        Verdict::Reject => "#6d1a36",
    }
}

/// Text from anywhere (messages included), safe inside an element.
fn esc(s: &str) -> String {
    html_escape::encode_text(&visible(s)).into_owned()
}

/// Text safe inside a double-quoted attribute.
fn attr(s: &str) -> String {
    html_escape::encode_double_quoted_attribute(&visible(s)).into_owned()
}

const STYLE: &str = "
body{font-family:system-ui,-apple-system,'Segoe UI','Hiragino Sans','Noto Sans CJK JP',sans-serif;margin:24px;color:#1d2330;background:#fff;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde;padding-bottom:4px}
.meta{color:#5a6275;font-size:13px}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.card{border:1px solid #dde;border-radius:6px;padding:10px 16px;min-width:130px}
.card b{display:block;font-size:24px}
table{border-collapse:collapse;font-size:13px}
th,td{border-bottom:1px solid #e6e8ef;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f4f8}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th[data-dir=asc]::after{content:' \\25B2'}table.sortable th[data-dir=desc]::after{content:' \\25BC'}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.v{display:inline-block;white-space:nowrap;padding:1px 6px;border-radius:3px;color:#fff;font-size:12px}
table#flagged{table-layout:fixed;width:100%}table#flagged td{overflow-wrap:anywhere}
td.date{white-space:nowrap}td.loc{color:#5a6275;font-size:12px}
td ul{margin:0;padding-left:16px}td li{margin:1px 0}
.two{display:flex;gap:32px;flex-wrap:wrap}
svg text{font-size:12px;fill:#1d2330}
";

const SCRIPT: &str = "
document.querySelectorAll('table.sortable').forEach(function(table){
  var heads=table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads,function(th,i){
    th.addEventListener('click',function(){
      var dir=th.getAttribute('data-dir')==='asc'?'desc':'asc';
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('data-dir');});
      th.setAttribute('data-dir',dir);
      var num=th.classList.contains('num');
      var body=table.tBodies[0];
      var rows=Array.prototype.slice.call(body.rows);
      function key(r){var c=r.cells[i];var k=c.getAttribute('data-key');return k!==null?k:c.textContent;}
      rows.sort(function(a,b){
        var x=key(a),y=key(b);
        var c=num?(parseFloat(x)-parseFloat(y)):x.localeCompare(y);
        return dir==='asc'?c:-c;
      });
      rows.forEach(function(r){body.appendChild(r);});
    });
  });
});
";

/// The whole page. `inputs` are the paths scanned, `only` the lowest verdict in the table.
pub fn render(t: &Totals, lang: Lang, inputs: &[String], only: Verdict) -> String {
    let l = labels(lang);
    let mut h = String::with_capacity(64 * 1024 + t.flagged.len() * 600);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; \
         style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <title>{}</title><style>{STYLE}</style></head><body>\n",
        lang.as_str(),
        esc(l.title)
    );
    let _ = writeln!(h, "<h1>{}</h1>", esc(l.title));
    let shown: Vec<String> = inputs.iter().take(10).map(|p| esc(p)).collect();
    let more = inputs.len().saturating_sub(10);
    let _ = writeln!(
        h,
        "<p class=\"meta\">{}: {} UTC · {}{}</p>",
        esc(l.generated),
        super::clock::now_utc(),
        shown.join(", "),
        if more > 0 {
            format!(" (+{more})")
        } else {
            String::new()
        }
    );
    cards(&mut h, t, &l);
    verdict_section(&mut h, t, &l, lang);
    rules_section(&mut h, t, &l);
    timeline_section(&mut h, t, &l);
    let _ = writeln!(h, "<div class=\"two\">");
    tally_table(&mut h, "domains", l.domains, &t.domains.top(15), &l);
    tally_table(
        &mut h,
        "recipients",
        l.recipients,
        &t.recipients.top(15),
        &l,
    );
    let _ = writeln!(h, "</div>");
    flagged_table(&mut h, t, &l, lang, only);
    let _ = writeln!(h, "<script>{SCRIPT}</script>\n</body></html>");
    h
}

fn cards(h: &mut String, t: &Totals, l: &Labels) {
    let _ = writeln!(h, "<div class=\"cards\">");
    for (label, n, id) in [
        (l.messages, t.messages, "messages"),
        (l.flagged, t.flagged_count(), "flagged"),
        (l.errors, t.errors, "errors"),
    ] {
        let _ = writeln!(
            h,
            "<div class=\"card\" id=\"card-{id}\">{}<b>{n}</b></div>",
            esc(label)
        );
    }
    let _ = writeln!(h, "</div>");
}

fn verdict_section(h: &mut String, t: &Totals, l: &Labels, lang: Lang) {
    let _ = writeln!(h, "<h2>{}</h2>", esc(l.verdicts));
    let total: u64 = t.verdicts.iter().sum();
    let width = 760.0;
    let _ = writeln!(
        h,
        "<svg id=\"verdict-chart\" width=\"{width}\" height=\"34\" role=\"img\" aria-label=\"{}\">",
        attr(l.verdicts)
    );
    let mut x = 0.0;
    for v in VERDICTS {
        let n = t.verdicts[v as usize];
        if n == 0 || total == 0 {
            continue;
        }
        let w = (n as f64 / total as f64 * width).max(2.0);
        let _ = writeln!(
            h,
            "<rect x=\"{x:.1}\" y=\"2\" width=\"{w:.1}\" height=\"30\" fill=\"{}\"><title>{} {n}</title></rect>",
            color(v),
            esc(v.label(lang))
        );
        x += w;
    }
    if total == 0 {
        let _ = writeln!(
            h,
            "<rect x=\"0\" y=\"2\" width=\"{width}\" height=\"30\" fill=\"#e6e8ef\"/>"
        );
    }
    let _ = writeln!(h, "</svg>");
    let _ = writeln!(
        h,
        "<table id=\"verdicts\"><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">%</th></tr></thead><tbody>",
        esc(l.verdict),
        esc(l.count)
    );
    for v in VERDICTS {
        let n = t.verdicts[v as usize];
        let pct = if total > 0 {
            n as f64 * 100.0 / total as f64
        } else {
            0.0
        };
        let _ = writeln!(
            h,
            "<tr data-verdict=\"{}\"><td><span class=\"v\" style=\"background:{}\">{}</span></td><td class=\"num\">{n}</td><td class=\"num\">{pct:.1}</td></tr>",
            v.as_str(),
            color(v),
            esc(v.label(lang))
        );
    }
    let _ = writeln!(
        h,
        "<tr data-verdict=\"error\"><td>{}</td><td class=\"num\">{}</td><td></td></tr></tbody></table>",
        esc(l.errors),
        t.errors
    );
}

fn rules_section(h: &mut String, t: &Totals, l: &Labels) {
    let _ = writeln!(h, "<h2>{}</h2>", esc(l.rules));
    let top = t.rules.top(25);
    if top.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", esc(l.none));
        return;
    }
    let row = 22.0;
    let label_w = 290.0;
    let bar_w = 400.0;
    let max = top.first().map_or(1, |(_, n)| *n).max(1) as f64;
    let height = row * top.len() as f64 + 4.0;
    let _ = writeln!(
        h,
        "<svg id=\"rules-chart\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        label_w + bar_w + 70.0,
        attr(l.rules)
    );
    for (i, (rule, n)) in top.iter().enumerate() {
        let y = i as f64 * row + 2.0;
        let w = (*n as f64 / max * bar_w).max(1.0);
        let _ = writeln!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>\
             <rect x=\"{label_w}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{:.1}\" fill=\"#4a6fa5\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\">{n}</text>",
            label_w - 8.0,
            y + 14.0,
            esc(rule),
            row - 6.0,
            label_w + w + 6.0,
            y + 14.0
        );
    }
    let _ = writeln!(h, "</svg>");
}

fn timeline_section(h: &mut String, t: &Totals, l: &Labels) {
    let _ = writeln!(h, "<h2>{}</h2>", esc(l.timeline));
    if t.per_day.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">{}</p>", esc(l.no_date));
        return;
    }
    // Many days: one bar per month instead.
    let buckets: Vec<(String, [u64; 3])> = if t.per_day.len() > 120 {
        let mut months: std::collections::BTreeMap<String, [u64; 3]> = Default::default();
        for (day, c) in &t.per_day {
            let m = months
                .entry(day.get(..7).unwrap_or(day).to_string())
                .or_default();
            for (a, b) in m.iter_mut().zip(c) {
                *a += b;
            }
        }
        months.into_iter().collect()
    } else {
        t.per_day.iter().map(|(d, c)| (d.clone(), *c)).collect()
    };
    let (left, top, plot_w, plot_h) = (40.0, 10.0, 700.0, 160.0);
    let max = buckets
        .iter()
        .map(|(_, c)| c.iter().sum::<u64>())
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let step = plot_w / buckets.len() as f64;
    let bar = (step * 0.8).clamp(1.0, 36.0);
    let _ = writeln!(
        h,
        "<svg id=\"timeline-chart\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"{}\">",
        left + plot_w + 20.0,
        top + plot_h + 40.0,
        attr(l.timeline)
    );
    let _ = writeln!(
        h,
        "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#99a\"/>\
         <text x=\"{2}\" y=\"{3}\" text-anchor=\"end\">{max}</text>\
         <text x=\"{2}\" y=\"{0}\" text-anchor=\"end\">0</text>",
        top + plot_h,
        left + plot_w,
        left - 4.0,
        top + 10.0
    );
    for (i, (day, counts)) in buckets.iter().enumerate() {
        let x = left + i as f64 * step + (step - bar) / 2.0;
        let mut y = top + plot_h;
        for (slot, v) in [Verdict::Warn, Verdict::Quarantine, Verdict::Reject]
            .iter()
            .enumerate()
        {
            let n = counts.get(slot).copied().unwrap_or(0);
            if n == 0 {
                continue;
            }
            let bh = n as f64 / max * plot_h;
            y -= bh;
            let _ = writeln!(
                h,
                "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar:.1}\" height=\"{bh:.1}\" fill=\"{}\"><title>{} {}: {n}</title></rect>",
                color(*v),
                esc(day),
                v.as_str()
            );
        }
    }
    let first = buckets.first().map(|(d, _)| d.as_str()).unwrap_or("");
    let last = buckets.last().map(|(d, _)| d.as_str()).unwrap_or("");
    let _ = writeln!(
        h,
        "<text x=\"{left}\" y=\"{0}\">{1}</text><text x=\"{2}\" y=\"{0}\" text-anchor=\"end\">{3}</text></svg>",
        top + plot_h + 18.0,
        esc(first),
        left + plot_w,
        esc(last)
    );
}

fn tally_table(h: &mut String, id: &str, title: &str, rows: &[(&str, u64)], l: &Labels) {
    let _ = writeln!(h, "<div><h2>{}</h2>", esc(title));
    if rows.is_empty() {
        let _ = writeln!(h, "<p class=\"meta\">{}</p></div>", esc(l.none));
        return;
    }
    let _ = writeln!(
        h,
        "<table id=\"{id}\"><thead><tr><th></th><th class=\"num\">{}</th></tr></thead><tbody>",
        esc(l.count)
    );
    for (k, n) in rows {
        let _ = writeln!(h, "<tr><td>{}</td><td class=\"num\">{n}</td></tr>", esc(k));
    }
    let _ = writeln!(h, "</tbody></table></div>");
}

fn flagged_table(h: &mut String, t: &Totals, l: &Labels, lang: Lang, only: Verdict) {
    let _ = writeln!(
        h,
        "<h2>{} ({})</h2><p class=\"meta\">{} ≥ {} · {}</p>",
        esc(l.table),
        t.flagged_total,
        esc(l.verdict),
        esc(only.label(lang)),
        esc(l.sort_hint)
    );
    let _ = writeln!(
        h,
        "<table id=\"flagged\" class=\"sortable\"><colgroup><col style=\"width:92px\"><col style=\"width:64px\"><col style=\"width:122px\"><col style=\"width:15%\"><col style=\"width:13%\"><col style=\"width:17%\"><col><col style=\"width:12%\"></colgroup><thead><tr><th>{}</th><th class=\"num\">{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(l.verdict),
        esc(l.score),
        esc(l.date),
        esc(l.from),
        esc(l.to),
        esc(l.subject),
        esc(l.reasons),
        esc(l.location),
    );
    for r in &t.flagged {
        row(h, r, lang);
    }
    let _ = writeln!(h, "</tbody></table>");
    let hidden = t.flagged_total.saturating_sub(t.flagged.len() as u64);
    if hidden > 0 {
        let _ = writeln!(h, "<p class=\"meta\">{hidden} {}</p>", esc(l.more_rows));
    }
}

fn row(h: &mut String, r: &Record, lang: Lang) {
    let reasons: String = r
        .rules
        .iter()
        .zip(&r.reasons)
        .map(|(rule, reason)| format!("<li><code>{}</code> {}</li>", esc(rule), esc(reason)))
        .collect();
    let to = r.to.join(", ");
    let _ = writeln!(
        h,
        "<tr data-verdict=\"{v}\"><td data-key=\"{rank}\"><span class=\"v\" style=\"background:{c}\">{label}</span></td>\
         <td class=\"num\">{score:.1}</td><td class=\"date\" data-key=\"{date_key}\">{date}</td><td>{from}</td><td>{to}</td>\
         <td class=\"subject\">{subject}</td><td><ul>{reasons}</ul></td><td class=\"loc\">{loc}</td></tr>",
        v = r.verdict.as_str(),
        rank = r.verdict as u8,
        c = color(r.verdict),
        label = esc(r.verdict.label(lang)),
        score = r.score,
        date_key = attr(r.date.as_deref().unwrap_or("")),
        date = esc(&short_date(r.date.as_deref().unwrap_or(""))),
        from = esc(r.from.as_deref().unwrap_or("")),
        to = esc(&to),
        subject = esc(r.subject.as_deref().unwrap_or("")),
        loc = esc(&r.location),
    );
}

/// `2024-01-02T09:00:00Z` → `2024-01-02 09:00` (other forms as they are).
fn short_date(date: &str) -> String {
    match (date.get(..10), date.get(10..11), date.get(11..16)) {
        (Some(day), Some("T"), Some(hm)) => format!("{day} {hm}"),
        _ => date.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn message_text_is_escaped_and_hidden_characters_shown() {
        let mut t = Totals::default();
        let r = Record {
            location: "a.mbox:0".into(),
            message_id: None,
            date: Some("2024-01-02T00:00:00Z".into()),
            from: Some("<script>alert(1)</script> <x@evil.example>".into()),
            to: vec!["u@x.example".into()],
            from_domain: Some("evil.example".into()),
            recipients: vec!["u@x.example".into()],
            subject: Some("invoice\u{202E}fdp.exe \"quoted\" & more".into()),
            verdict: Verdict::Quarantine,
            score: 9.0,
            rules: vec!["ATTACH_BIDI_CONTROL".into()],
            reasons: vec!["a name with <b>".into()],
        };
        t.add(&r, 100, Duration::from_millis(2), true);
        let page = render(&t, Lang::En, &["a.mbox".into()], Verdict::Warn);
        assert!(!page.contains("<script>alert"), "{page}");
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("invoice&lt;U+202E&gt;fdp.exe"));
        assert!(!page.contains('\u{202E}'));
        assert!(page.contains("a name with &lt;b&gt;"));
        assert!(page.contains("Content-Security-Policy"));
        assert!(!page.contains("http://") && !page.contains("https://"));
        let ja = render(&t, Lang::Ja, &["a.mbox".into()], Verdict::Warn);
        assert!(ja.contains("判定の内訳") && ja.contains("<html lang=\"ja\">"));
    }
}
