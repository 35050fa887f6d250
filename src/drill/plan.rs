//! Who gets which scenario, and when each lure is due.
//!
//! Assignment (`assign = "one"`, the default): each person gets one scenario per wave, chosen from
//! the campaign's seed so that nobody can predict it, yet evenly: within each department (and over
//! the whole campaign) the counts of any two scenarios differ by at most one. With the same seed,
//! scenarios and recipient list, wave `k` gives each person the scenario after the one of wave
//! `k - 1` in a seeded order, so a person meets a scenario again only once every scenario has
//! been used. `assign = "all"` sends every scenario to everyone, as before.
//!
//! Schedule (`[schedule]`): the lures are spread over a window of business hours from `start`,
//! `days` days long (weekends skipped with `weekdays_only`), in a seeded order with a seeded
//! jitter; `drill send` sends only lures whose time has come.

use super::DrillError;
use super::scenario::Scenario;
use sha2::{Digest, Sha256};

/// A number from SHA-256 over the seed and `parts` (each length-prefixed): stable for a seed,
/// unpredictable without it.
fn keyed(seed: &str, parts: &[&str]) -> u64 {
    let mut h = Sha256::new();
    for part in std::iter::once(seed).chain(parts.iter().copied()) {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    let d = h.finalize();
    let mut b = [0u8; 8];
    b.copy_from_slice(&d[..8]);
    u64::from_be_bytes(b)
}

/// One scenario per person for wave `wave` (1 and up): the index into `scenarios` of each
/// person's scenario, in the order of `people` (`(email, department)`).
pub fn assign_one(
    seed: &str,
    people: &[(&str, &str)],
    scenarios: &[&Scenario],
    wave: u32,
) -> Vec<usize> {
    let n = scenarios.len();
    if n == 0 {
        return Vec::new();
    }
    // The scenarios in a seeded order: which ones a department gets one more of is not always
    // the first ones listed.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (keyed(seed, &["scenario", &scenarios[i].id]), i));
    // Departments in a seeded order, people within each in a seeded order; one running counter
    // over all of them, so each department takes a consecutive run of the cycle (balanced within
    // the department) and the whole campaign one long run (balanced overall).
    let mut departments: Vec<&str> = people.iter().map(|(_, d)| d.trim()).collect();
    departments.sort_unstable();
    departments.dedup();
    departments.sort_by_key(|d| (keyed(seed, &["department", d]), *d));
    let mut counter = (keyed(seed, &["start"]) % n as u64) as usize + (wave.max(1) as usize - 1);
    let mut out = vec![0; people.len()];
    for dept in departments {
        let mut members: Vec<usize> = (0..people.len())
            .filter(|&i| people[i].1.trim() == dept)
            .collect();
        members.sort_by_key(|&i| {
            let email = people[i].0.trim().to_ascii_lowercase();
            (keyed(seed, &["person", &email]), email)
        });
        for i in members {
            out[i] = order[counter % n];
            counter += 1;
        }
    }
    out
}

/// The delivery window: business hours on a number of days from a start time, all in the
/// start's UTC offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Unix time of the start: nothing is planned before it.
    pub start: i64,
    /// The start's UTC offset in seconds (east positive): the hours and days are in it.
    pub offset: i64,
    /// Days with sending hours (weekend days do not count with `weekdays_only`).
    pub days: u32,
    /// Sending hours, seconds from local midnight: `[from, to)`.
    pub from: u32,
    pub to: u32,
    pub weekdays_only: bool,
}

/// Days a window may span at most.
pub const MAX_DAYS: u32 = 366;

/// `HH:MM-HH:MM` as seconds from midnight (`24:00` allowed as the end).
pub fn parse_hours(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("hours `{s}`: use HH:MM-HH:MM, e.g. 09:00-18:00");
    let (a, b) = s.split_once('-').ok_or_else(bad)?;
    let time = |t: &str| -> Option<u32> {
        let (h, m) = t.trim().split_once(':')?;
        if h.len() != 2 || m.len() != 2 {
            return None;
        }
        let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
        (m < 60 && (h < 24 || (h == 24 && m == 0))).then_some(h * 3600 + m * 60)
    };
    let (from, to) = (time(a).ok_or_else(bad)?, time(b).ok_or_else(bad)?);
    if from >= to {
        return Err(format!(
            "hours `{s}`: the end must come after the start (a window over midnight is not supported)"
        ));
    }
    Ok((from, to))
}

impl Window {
    /// Reads the `[schedule]` settings.
    pub fn new(
        start: &str,
        days: u32,
        hours: &str,
        weekdays_only: bool,
    ) -> Result<Window, DrillError> {
        let bad = |m: String| DrillError::Campaign(format!("schedule: {m}"));
        let dt = mail_parser::DateTime::parse_rfc3339(start)
            .filter(mail_parser::DateTime::is_valid)
            .ok_or_else(|| {
                bad(format!(
                    "start `{start}` is not RFC 3339 with a UTC offset (2026-12-07T09:00:00+09:00)"
                ))
            })?;
        if !(1..=MAX_DAYS).contains(&days) {
            return Err(bad(format!("days = {days}: use 1 to {MAX_DAYS}")));
        }
        let (from, to) = parse_hours(hours).map_err(bad)?;
        let offset = (i64::from(dt.tz_hour) * 3600 + i64::from(dt.tz_minute) * 60)
            * if dt.tz_before_gmt { -1 } else { 1 };
        let w = Window {
            start: dt.to_timestamp(),
            offset,
            days,
            from,
            to,
            weekdays_only,
        };
        if w.intervals().is_empty() {
            return Err(bad(format!(
                "no sending time: `{start}` is after {hours} on the only day{}",
                if weekdays_only {
                    " (weekends are skipped)"
                } else {
                    ""
                }
            )));
        }
        Ok(w)
    }

    /// The sending periods as Unix times `[from, to)`, in order.
    pub fn intervals(&self) -> Vec<(i64, i64)> {
        let mut out = Vec::new();
        let mut day = (self.start + self.offset).div_euclid(86_400);
        let mut counted = 0;
        while counted < self.days {
            // 1970-01-01 was a Thursday: 0 = Sunday, 6 = Saturday.
            let weekday = (day + 4).rem_euclid(7);
            if !self.weekdays_only || (1..=5).contains(&weekday) {
                counted += 1;
                let midnight = day * 86_400 - self.offset;
                let from = (midnight + i64::from(self.from)).max(self.start);
                let to = midnight + i64::from(self.to);
                if from < to {
                    out.push((from, to));
                }
            }
            day += 1;
        }
        out
    }

    /// Seconds of sending time in the window.
    pub fn length(&self) -> i64 {
        self.intervals().iter().map(|(a, b)| b - a).sum()
    }

    /// Planned times for `keys` (one per lure; the tokens): the window cut into as many equal
    /// slots as there are lures, the lures put in the slots in a seeded order, each at a seeded
    /// point of its slot. Every time is inside the sending hours.
    pub fn plan(&self, seed: &str, keys: &[&str]) -> Vec<i64> {
        let intervals = self.intervals();
        let total: i64 = intervals.iter().map(|(a, b)| b - a).sum();
        let n = keys.len() as i128;
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_by_key(|&i| (keyed(seed, &["send-order", keys[i]]), i));
        let mut out = vec![0; keys.len()];
        for (slot, &i) in order.iter().enumerate() {
            let lo = (i128::from(total) * slot as i128 / n) as i64;
            let hi = (i128::from(total) * (slot as i128 + 1) / n) as i64;
            let jitter = (keyed(seed, &["send-jitter", keys[i]]) % (hi - lo).max(1) as u64) as i64;
            out[i] = at(&intervals, lo + jitter);
        }
        out
    }

    /// A time in the window's offset, RFC 3339.
    pub fn show(&self, t: i64) -> String {
        show(t, self.offset)
    }
}

/// `t` (Unix time) as RFC 3339 in the UTC offset `offset` (seconds).
pub fn show(t: i64, offset: i64) -> String {
    mail_parser::DateTime::from_timestamp(t)
        .to_timezone(offset)
        .to_rfc3339()
}

/// The Unix time `pos` seconds of sending time into `intervals` (clamped to the last second).
fn at(intervals: &[(i64, i64)], mut pos: i64) -> i64 {
    for &(a, b) in intervals {
        if pos < b - a {
            return a + pos;
        }
        pos -= b - a;
    }
    intervals.last().map_or(0, |&(_, b)| b - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_parse_and_bad_ones_are_refused() {
        assert_eq!(parse_hours("09:00-18:00"), Ok((9 * 3600, 18 * 3600)));
        assert_eq!(parse_hours("00:00-24:00"), Ok((0, 86_400)));
        for bad in [
            "9-18",
            "18:00-09:00",
            "09:00-09:00",
            "09:60-10:00",
            "24:01-25:00",
            "",
        ] {
            assert!(parse_hours(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_window_skips_weekends_and_keeps_to_the_hours() {
        // Friday 2026-12-04 10:00 in Tokyo, two weekdays: Friday 10-18 and Monday 9-18.
        let w = Window::new("2026-12-04T10:00:00+09:00", 2, "09:00-18:00", true).unwrap();
        let friday = mail_parser::DateTime::parse_rfc3339("2026-12-04T10:00:00+09:00")
            .unwrap()
            .to_timestamp();
        let monday = mail_parser::DateTime::parse_rfc3339("2026-12-07T09:00:00+09:00")
            .unwrap()
            .to_timestamp();
        assert_eq!(
            w.intervals(),
            [(friday, friday + 8 * 3600), (monday, monday + 9 * 3600)]
        );
        assert_eq!(w.length(), 17 * 3600);
        assert_eq!(w.show(monday), "2026-12-07T09:00:00+09:00");
        // With weekends: Friday and Saturday.
        let w = Window::new("2026-12-04T10:00:00+09:00", 2, "09:00-18:00", false).unwrap();
        assert_eq!(w.intervals()[1].0, monday - 2 * 86_400);
        // Starting after hours on the only day leaves nothing.
        assert!(Window::new("2026-12-04T19:00:00+09:00", 1, "09:00-18:00", true).is_err());
        assert!(Window::new("2026-12-05T10:00:00+09:00", 1, "09:00-18:00", true).is_ok());
        assert!(Window::new("2026-12-04", 1, "09:00-18:00", true).is_err());
        assert!(Window::new("2026-12-04T10:00:00+09:00", 0, "09:00-18:00", true).is_err());
    }

    #[test]
    fn position_maps_into_the_intervals() {
        let iv = [(100, 110), (200, 205)];
        assert_eq!(at(&iv, 0), 100);
        assert_eq!(at(&iv, 9), 109);
        assert_eq!(at(&iv, 10), 200);
        assert_eq!(at(&iv, 14), 204);
        assert_eq!(at(&iv, 99), 204);
    }
}
