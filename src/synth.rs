//! Deterministic synthetic episode data for a fictional authority, so the
//! tool can show a finished report without real (identifiable) data and so
//! benchmarks can scale to millions of rows. Same seed and size, same bytes.

use std::io::Write;

use anyhow::{Context, Result};
use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

/// What to generate.
#[derive(Debug, Clone)]
pub struct SynthConfig {
    /// Exact number of episode rows to write.
    pub episodes: usize,
    /// Seed of the pseudo-random generator.
    pub seed: u64,
    /// First day of the generated span (the start of a reporting year).
    pub first_day: NaiveDate,
    /// Number of whole months the episodes start in.
    pub months: u32,
    /// With more than one, a regional extract: an `authority` column, and
    /// the episodes shared among the authorities (each its own children,
    /// drawn from its own seed).
    pub authorities: u32,
}

impl SynthConfig {
    /// The bundled example: three reporting years, April 2022 to March 2025.
    pub fn example(episodes: usize, seed: u64) -> Self {
        SynthConfig { episodes, seed, first_day: NaiveDate::from_ymd_opt(2022, 4, 1).expect("valid date"), months: 36, authorities: 1 }
    }

    /// The same, shared among `authorities` authorities.
    pub fn regional(episodes: usize, seed: u64, authorities: u32) -> Self {
        SynthConfig { authorities: authorities.max(1), ..SynthConfig::example(episodes, seed) }
    }
}

/// Fictional places, for the names of a regional file's authorities.
const PLACES: [&str; 30] = [
    "Ashford Vale",
    "Barrowby",
    "Brackenholm",
    "Calder Moor",
    "Carrow",
    "Dunmere",
    "Eastwick",
    "Elmbridge Fold",
    "Fennick",
    "Glenharrow",
    "Greyhaven",
    "Halstow",
    "Hollins Cross",
    "Irvale",
    "Kestermoor",
    "Lingmoor",
    "Marrowby",
    "Northmoor",
    "Oakhurst",
    "Pellingham",
    "Quarrendon",
    "Redwater",
    "Saltmarsh",
    "Stanmoor",
    "Thornbury Edge",
    "Upton Marsh",
    "Westhaven",
    "Whitlow",
    "Wyrmdale",
    "Yarrowby",
];
const KINDS: [&str; 5] = ["Borough Council", "City Council", "County Council", "Metropolitan Borough Council", "Council"];

/// The name of the `index`th authority of a regional file (from 0): a
/// fictional place and kind of council, numbered once the pairs run out.
pub fn authority_name(index: usize) -> String {
    let pair = index % (PLACES.len() * KINDS.len());
    let name = format!("{} {}", PLACES[pair % PLACES.len()], KINDS[pair / PLACES.len()]);
    match index / (PLACES.len() * KINDS.len()) {
        0 => name,
        round => format!("{name} {}", round + 1),
    }
}

/// SplitMix64: tiny, fast and stable across crate versions, so the example
/// data never changes under a dependency upgrade.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform integer in [lo, hi].
    fn between(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1) as u64)) as i64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Index drawn with the given relative weights.
    fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len() - 1
    }
    fn pick<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let weights: Vec<f64> = items.iter().map(|(_, w)| *w).collect();
        items[self.weighted(&weights)].0
    }
}

const ETHNICITIES: &[(&str, f64)] = &[
    ("WBRI", 62.0),
    ("WOTH", 5.0),
    ("WIRT", 1.0),
    ("MWBC", 5.0),
    ("MWBA", 2.0),
    ("MOTH", 3.0),
    ("AIND", 2.0),
    ("APKN", 3.0),
    ("ABAN", 1.0),
    ("BAFR", 4.0),
    ("BCRB", 3.0),
    ("OOTH", 3.0),
    ("REFU", 1.5),
    ("NOBT", 2.5),
];

const REASONS: &[(&str, f64)] = &[
    ("with_friends", 30.0),
    ("family_contact", 14.0),
    ("placement_unhappy", 10.0),
    ("romantic", 8.0),
    ("substance_misuse", 6.0),
    ("cse", 5.0),
    ("cce", 7.0),
    ("other", 12.0),
    ("unknown", 8.0),
];

/// Relative frequency of missing episodes by calendar month (Jan..Dec):
/// more in late spring, summer and early autumn, fewer in winter.
const SEASON: [f64; 12] = [0.80, 0.82, 0.92, 1.00, 1.10, 1.12, 1.22, 1.18, 1.10, 1.04, 0.90, 0.80];

/// Start hour weights (0..23): mostly afternoon and evening.
const START_HOURS: [f64; 24] =
    [3.0, 2.0, 1.5, 1.0, 0.5, 0.5, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.5, 8.0, 9.0, 10.0, 10.5, 10.0, 9.0, 7.0, 5.0];

struct Child {
    id: String,
    date_of_birth: NaiveDate,
    sex: &'static str,
    ethnicity: &'static str,
    looked_after: bool,
    other_la: bool,
    placement_area: &'static str,
    uasc: bool,
    cse_prone: f64,
    cce_prone: f64,
}

struct Episode {
    child: usize,
    start: NaiveDateTime,
    end: Option<NaiveDateTime>,
    absent: bool,
    reason: String,
    cse: bool,
    cce: bool,
    rhi_offered: Option<bool>,
    rhi_outcome: &'static str,
    rhi_completed: Option<NaiveDateTime>,
}

pub const HEADER: [&str; 18] = [
    "episode_id",
    "child_id",
    "date_of_birth",
    "sex",
    "ethnicity",
    "looked_after",
    "other_la",
    "placement_area",
    "uasc",
    "episode_type",
    "start",
    "end",
    "reason",
    "cse_risk",
    "cce_risk",
    "rhi_offered",
    "rhi_outcome",
    "rhi_completed",
];

/// Writes `config.episodes` rows of canonical CSV to `out`: one
/// authority's, or with `authorities` over one each authority's in turn
/// (the first ones one episode more when they do not share evenly).
pub fn write_csv(config: &SynthConfig, out: impl Write) -> Result<()> {
    if config.authorities as usize > config.episodes.max(1) {
        anyhow::bail!("{} authorities need at least as many episodes (one each); there are {}", config.authorities, config.episodes);
    }
    let mut writer = csv::Writer::from_writer(out);
    let regional = config.authorities > 1;
    let mut header = HEADER.to_vec();
    if regional {
        header.push("authority");
    }
    writer.write_record(&header)?;
    let count = config.authorities.max(1) as usize;
    for index in 0..count {
        let episodes = config.episodes / count + usize::from(index < config.episodes % count);
        let part = if regional {
            SynthConfig { episodes, seed: config.seed.wrapping_add(index as u64 * 0x9E37_79B9), authorities: 1, ..config.clone() }
        } else {
            config.clone()
        };
        let authority = regional.then(|| (authority_name(index), format!("A{:03}-", index + 1)));
        write_rows(&part, authority.as_ref().map(|(name, prefix)| (name.as_str(), prefix.as_str())), &mut writer)?;
    }
    writer.flush().context("writing synthetic episodes")?;
    Ok(())
}

/// One authority's rows; `authority`: its name for the `authority` column and the prefix of its episode ids.
fn write_rows(config: &SynthConfig, authority: Option<(&str, &str)>, writer: &mut csv::Writer<impl Write>) -> Result<()> {
    let (children, episodes) = generate(config);
    let width = (episodes.len().max(1) as f64).log10().floor() as usize + 2;
    let yn = |b: bool| if b { "Y" } else { "N" };
    let stamp = |t: &NaiveDateTime| t.format("%Y-%m-%d %H:%M").to_string();
    let prefix = authority.map_or("", |(_, prefix)| prefix);
    for (index, e) in episodes.iter().enumerate() {
        let c = &children[e.child];
        let mut record = vec![
            format!("{prefix}EP{:0width$}", index + 1, width = width),
            c.id.clone(),
            c.date_of_birth.format("%Y-%m-%d").to_string(),
            c.sex.to_string(),
            c.ethnicity.to_string(),
            yn(c.looked_after).to_string(),
            yn(c.other_la).to_string(),
            c.placement_area.to_string(),
            yn(c.uasc).to_string(),
            if e.absent { "absent" } else { "missing" }.to_string(),
            stamp(&e.start),
            e.end.as_ref().map(stamp).unwrap_or_default(),
            e.reason.clone(),
            yn(e.cse).to_string(),
            yn(e.cce).to_string(),
            e.rhi_offered.map(yn).unwrap_or_default().to_string(),
            e.rhi_outcome.to_string(),
            e.rhi_completed.as_ref().map(stamp).unwrap_or_default(),
        ];
        if let Some((name, _)) = authority {
            record.push(name.to_string());
        }
        writer.write_record(&record)?;
    }
    Ok(())
}

fn generate(config: &SynthConfig) -> (Vec<Child>, Vec<Episode>) {
    let mut rng = Rng(config.seed ^ 0x6D69_7373_696E_6721);
    let months = config.months.max(1) as i64;
    let first = config.first_day;
    let span_end = add_months(first, months);
    let mut children: Vec<Child> = Vec::new();
    let mut episodes: Vec<Episode> = Vec::with_capacity(config.episodes);
    // Children are drawn until they have produced enough episodes.
    let id_width = ((config.episodes / 3).max(10) as f64).log10().ceil() as usize + 1;
    while episodes.len() < config.episodes {
        let index = children.len();
        let looked_after = rng.chance(0.38);
        let other_la = looked_after && rng.chance(0.06);
        let age_at_first = rng.weighted(&[1.0, 1.5, 2.5, 4.0, 6.0, 8.0, 9.0, 8.0, 5.0, 1.0]) as i64 + 8;
        let active_months = 1 + rng.weighted(&[40.0, 15.0, 10.0, 8.0, 6.0, 5.0, 4.0, 3.0, 3.0, 6.0]) as i64 * 2;
        // Spans may start before the data; at least one month lies inside it.
        let active_from = rng.between((1 - active_months).max(-6), months - 1);
        // Most children go missing once or twice; a few dozens of times.
        let mut count = 1 + rng.weighted(&[52.0, 18.0, 9.0, 6.0, 4.0, 3.0, 2.0, 2.0, 1.5, 1.0, 1.5]) as i64;
        if looked_after {
            count = count * 3 / 2 + rng.between(0, 1);
        }
        if rng.chance(0.012) {
            count = rng.between(30, 80);
        }
        let first_month_day = add_months(first, active_from);
        let birth_year = first_month_day.year() as i64 - age_at_first;
        let date_of_birth = NaiveDate::from_ymd_opt(birth_year as i32, rng.between(1, 12) as u32, 1)
            .and_then(|d| d.checked_add_signed(Duration::days(rng.between(0, 27))))
            .expect("valid birth date");
        let child = Child {
            id: format!("NMC{:0width$}", index + 1, width = id_width),
            date_of_birth,
            sex: rng.pick(&[("M", 48.0), ("F", 50.5), ("U", 1.5)]),
            ethnicity: rng.pick(ETHNICITIES),
            looked_after,
            other_la,
            placement_area: if looked_after { rng.pick(&[("in_area", 64.0), ("out_of_area", 34.0), ("", 2.0)]) } else { "" },
            uasc: looked_after && rng.chance(0.07),
            cse_prone: if rng.chance(0.12) { 0.45 } else { 0.02 },
            cce_prone: if rng.chance(0.15) { 0.5 } else { 0.03 },
        };
        children.push(child);
        for _ in 0..count {
            if episodes.len() >= config.episodes {
                break;
            }
            // A month of the child's active span, kept with the season's
            // probability; months outside the data are dropped, not moved,
            // so spans at either end do not pile episodes into one month.
            let m = active_from + rng.between(0, active_months - 1);
            if m < 0 || m >= months {
                continue;
            }
            let month_first = add_months(first, m);
            if rng.unit() * 1.25 > SEASON[month_first.month0() as usize] {
                continue;
            }
            let start_day = month_first + Duration::days(rng.between(0, days_in_month(month_first) - 1));
            let hour = rng.weighted(&START_HOURS) as u32;
            let start = start_day.and_hms_opt(hour, rng.between(0, 11) as u32 * 5, 0).expect("valid time");
            episodes.push(episode(&mut rng, index, &children[index], start, span_end));
        }
    }
    episodes.sort_by(|a, b| a.start.cmp(&b.start).then(a.child.cmp(&b.child)));
    separate_overlaps(&mut rng, &mut episodes);
    (children, episodes)
}

/// A child cannot go missing again before returning: an episode that would
/// still be running when the child's next one starts ends 30 minutes before
/// it (the next one moves later when that leaves under 20 minutes). About
/// one overlap in fifty is left, as recording errors leave some in real data.
fn separate_overlaps(rng: &mut Rng, episodes: &mut [Episode]) {
    let mut last_of_child: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    for i in 0..episodes.len() {
        let child = episodes[i].child;
        if let Some(&previous) = last_of_child.get(&child) {
            let earliest_end = episodes[previous].start + Duration::minutes(20);
            if episodes[i].start < earliest_end + Duration::minutes(30) {
                let shift = earliest_end + Duration::minutes(30) - episodes[i].start;
                let next = &mut episodes[i];
                next.start += shift;
                next.end = next.end.map(|t| t + shift);
                next.rhi_completed = next.rhi_completed.map(|t| t + shift);
            }
            let next_start = episodes[i].start;
            let running = episodes[previous].end.is_none_or(|end| end > next_start);
            if running && !rng.chance(0.02) {
                let new_end = next_start - Duration::minutes(30);
                {
                    let shift = episodes[previous].end.map(|old| old - new_end);
                    episodes[previous].end = Some(new_end);
                    if let (Some(done), Some(shift)) = (episodes[previous].rhi_completed, shift) {
                        episodes[previous].rhi_completed = Some(done - shift);
                    }
                    if episodes[previous].rhi_offered.is_none() {
                        episodes[previous].rhi_offered = Some(true);
                        episodes[previous].rhi_outcome = "no_contact";
                    }
                }
            }
        }
        last_of_child.insert(child, i);
    }
    episodes.sort_by(|a, b| a.start.cmp(&b.start).then(a.child.cmp(&b.child)));
}

fn episode(rng: &mut Rng, child_index: usize, child: &Child, start: NaiveDateTime, span_end: NaiveDate) -> Episode {
    let absent = child.looked_after && rng.chance(0.05);
    let hours = match rng.weighted(&[46.0, 30.0, 12.0, 8.0, 3.0, 1.0]) {
        0 => rng.between(1, 8),
        1 => rng.between(8, 24),
        2 => rng.between(24, 48),
        3 => rng.between(48, 96),
        4 => rng.between(96, 240),
        _ => rng.between(240, 720),
    };
    let minutes = hours * 60 - rng.between(0, 59);
    let end_time = start + Duration::minutes(minutes.max(20));
    let extract = span_end.and_hms_opt(9, 0, 0).expect("valid time");
    // Episodes near the end of the data may still be open at extract time.
    let open = end_time > extract || (extract - start < Duration::days(10) && rng.chance(0.25));
    let end = if open { None } else { Some(end_time) };
    let mut reason = rng.pick(REASONS).to_string();
    if rng.chance(0.12) {
        let second = rng.pick(REASONS);
        if second != reason {
            reason = format!("{reason};{second}");
        }
    }
    let cse = rng.chance(child.cse_prone);
    let cce = rng.chance(child.cce_prone);
    let (rhi_offered, rhi_outcome, rhi_completed) = match end {
        None => (None, "", None),
        Some(_) if absent => (Some(false), "", None),
        Some(end) => {
            if rng.chance(0.09) {
                (Some(false), "", None)
            } else {
                match rng.weighted(&[76.0, 12.0, 8.0, 4.0]) {
                    0 => {
                        let within = rng.chance(0.68);
                        let delay_hours = if within { rng.between(2, 71) } else { rng.between(73, 400) };
                        let mut done = end + Duration::hours(delay_hours) + Duration::minutes(rng.between(0, 59));
                        if within && done - end > Duration::hours(72) {
                            done = end + Duration::hours(72);
                        }
                        if done > extract {
                            (Some(true), "pending", None)
                        } else if delay_hours > 360 {
                            // Accepted but never held (the child did not
                            // attend): about 4% of acceptances. Taken from the
                            // delay already drawn so the sequence is unchanged.
                            (Some(true), "accepted", None)
                        } else {
                            (Some(true), "accepted", Some(done))
                        }
                    }
                    1 => (Some(true), "declined", None),
                    2 => (Some(true), "no_contact", None),
                    _ => (Some(true), "pending", None),
                }
            }
        }
    };
    Episode { child: child_index, start, end, absent, reason, cse, cce, rhi_offered, rhi_outcome, rhi_completed }
}

fn add_months(date: NaiveDate, months: i64) -> NaiveDate {
    let index = date.year() as i64 * 12 + date.month0() as i64 + months;
    NaiveDate::from_ymd_opt(index.div_euclid(12) as i32, index.rem_euclid(12) as u32 + 1, 1).expect("valid month")
}

fn days_in_month(first: NaiveDate) -> i64 {
    (add_months(first, 1) - first).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example_bytes(episodes: usize, seed: u64) -> Vec<u8> {
        let mut out = Vec::new();
        write_csv(&SynthConfig::example(episodes, seed), &mut out).unwrap();
        out
    }

    #[test]
    fn same_seed_gives_same_bytes_and_exact_row_count() {
        let a = example_bytes(500, 7);
        assert_eq!(a, example_bytes(500, 7));
        assert_ne!(a, example_bytes(500, 8));
        let rows = String::from_utf8(a).unwrap().lines().count();
        assert_eq!(rows, 501);
    }

    #[test]
    fn a_regional_file_shares_the_episodes_among_named_authorities() {
        let mut out = Vec::new();
        write_csv(&SynthConfig::regional(1003, 3, 4), &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        assert_eq!(reader.headers().unwrap().iter().next_back(), Some("authority"));
        let mut per_authority: std::collections::BTreeMap<String, usize> = Default::default();
        for record in reader.records() {
            *per_authority.entry(record.unwrap()[18].to_string()).or_default() += 1;
        }
        let names: Vec<String> = (0..4).map(authority_name).collect();
        let counts: Vec<usize> = names.iter().map(|n| per_authority[n]).collect();
        assert_eq!(counts, [251, 251, 251, 250]);
        assert_eq!(authority_name(0), "Ashford Vale Borough Council");
        assert_eq!(authority_name(150), "Ashford Vale Borough Council 2");
        // One authority: the file of `example`, with no authority column.
        let mut single = Vec::new();
        write_csv(&SynthConfig::regional(500, 7, 1), &mut single).unwrap();
        assert_eq!(single, example_bytes(500, 7));
    }
}
