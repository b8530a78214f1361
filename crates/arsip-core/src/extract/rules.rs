//! Ruling lines on scanned forms: found and erased before OCR. Tesseract
//! reads a table's vertical rule beside a number as a digit (`1`, `|`, `l`):
//! a 16-digit NIK became 17 digits and could not be found. A rule is a long
//! thin run of dark pixels; it is erased only where it is thin, so a letter
//! that touches it keeps its stroke.
//!
//! Pages with a ruled table are then read row by row (tesseract's single
//! block mode), so a voter's number, name and address stay on one line of
//! text instead of being read column by column.

use crate::error::{Error, ErrorCode, Result};
use image::GrayImage;
use std::time::Instant;

/// What was found on a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Rules {
    /// Horizontal rules at least a fifth of the page wide.
    pub horizontal: usize,
    /// Vertical rules at least a sixteenth of the page high.
    pub vertical: usize,
    /// Pixels turned to paper.
    pub erased: usize,
}

impl Rules {
    /// A grid: rows between horizontal rules, cells between vertical ones.
    pub fn is_table(&self) -> bool {
        self.horizontal >= 3 && self.vertical >= 2
    }
}

/// Finds the ruling lines of `img` and paints them over with paper. Past
/// `deadline` it stops with `ExtractionTimeout` (a page of stripes costs far
/// more than a form). A page that is mostly dark (a negative, a scanner
/// lid's black border) is left as it is: its dark ground is no rule, and
/// tesseract reads such a page itself.
pub fn erase(img: &mut GrayImage, deadline: Instant) -> Result<Rules> {
    let (w, h) = (img.width() as usize, img.height() as usize);
    if w < 64 || h < 64 {
        return Ok(Rules::default());
    }
    let threshold = otsu(img);
    let paper = paper_level(img, threshold);
    let dark: Vec<bool> = img.as_raw().iter().map(|&p| p < threshold).collect();
    if dark.iter().filter(|&&d| d).count() * 2 > dark.len() {
        return Ok(Rules::default());
    }
    let late = || {
        (Instant::now() >= deadline)
            .then(|| Error::new(ErrorCode::ExtractionTimeout, "ruling lines"))
    };
    // A rule is thin: a few pixels at 300 dpi, more when blurred or printed
    // bold (a 4-pixel rule at 200 dpi, blurred, was 6 and stayed).
    let thin = (h / 250).max(6);
    let horizontal = runs(&dark, w, h, true);
    let vertical = runs(&dark, w, h, false);
    if horizontal.len() + vertical.len() > MAX_RUNS {
        // Not a form: stripes or noise. Nothing is erased.
        return Ok(Rules::default());
    }
    if let Some(e) = late() {
        return Err(e);
    }
    // Rules: the runs that make long lines (a fifth of the page wide, a
    // sixteenth high). A headline letter's crossbar is long and thin, but
    // alone it is no line.
    let horizontal = rule_runs(horizontal, h, (w / 30).max(40), w / 5);
    let vertical = rule_runs(vertical, w, (h / 40).max(40), h / 16);
    if let Some(e) = late() {
        return Err(e);
    }
    // One byte of flags per pixel (see the constants below).
    let mut flags = vec![0u8; w * h];
    for run in horizontal.runs.iter() {
        let y = run.at as usize;
        for x in run.from as usize..run.to as usize {
            flags[y * w + x] |= ON_H;
        }
    }
    for run in vertical.runs.iter() {
        let x = run.at as usize;
        for y in run.from as usize..run.to as usize {
            flags[y * w + x] |= ON_V;
        }
    }
    // Where a rule is thin, its whole thickness goes (the pixels across it,
    // whichever rows or columns their own runs lie in); where a stroke
    // crosses it, the stroke stays. Each run across is measured once.
    let mut erase = vec![false; w * h];
    for i in 0..w * h {
        let on = flags[i] & (ON_H | ON_V);
        if on == ON_H | ON_V {
            erase[i] = true;
            continue;
        }
        // A horizontal rule is measured down its column, a vertical one
        // along its row.
        let vertical_rule = on == ON_V;
        let measured = if vertical_rule {
            MEASURED_V
        } else {
            MEASURED_H
        };
        if on == 0 || flags[i] & measured != 0 {
            continue;
        }
        let (x, y) = (i % w, i / w);
        let Some((a, b)) = across(&dark, w, h, x, y, vertical_rule) else {
            continue;
        };
        let (at, len): (&dyn Fn(usize) -> usize, usize) = if vertical_rule {
            (&|k| y * w + k, w)
        } else {
            (&|k| k * w + x, h)
        };
        (a..=b).for_each(|k| flags[at(k)] |= measured);
        if b - a < thin {
            (a..=b).for_each(|k| erase[at(k)] = true);
            fringe(a, b, len).for_each(|k| flags[at(k)] |= FADE);
        }
    }
    if let Some(e) = late() {
        return Err(e);
    }
    sweep_crumbs(&dark, &mut erase, w, h, thin * thin);
    let mut erased = 0;
    for ((p, e), f) in img.iter_mut().zip(&erase).zip(&flags) {
        if f & FADE != 0 && *p >= threshold {
            *p = paper;
        }
        if *e {
            *p = paper;
            erased += 1;
        }
    }
    Ok(Rules {
        horizontal: horizontal.lines,
        vertical: vertical.lines,
        erased,
    })
}

/// On a horizontal rule's run.
const ON_H: u8 = 1;
/// On a vertical rule's run.
const ON_V: u8 = 2;
/// The run across a horizontal rule through this pixel has been measured.
const MEASURED_H: u8 = 4;
/// The run across a vertical rule through this pixel has been measured.
const MEASURED_V: u8 = 8;
/// The grey edge of a blurred rule, lighter than ink: painted over too
/// (tesseract's own thresholding read it as dashes), where it is not ink.
const FADE: u8 = 16;

/// More runs than this (a page of stripes or noise, not a form) and no rule
/// is looked for: their bookkeeping alone would take hundreds of MB.
const MAX_RUNS: usize = 4_000_000;

/// A run of dark pixels along row (or column) `at`, from `from` to `to`
/// (exclusive).
#[derive(Debug, Clone, Copy)]
struct Run {
    at: u32,
    from: u32,
    to: u32,
}

impl Run {
    fn len(&self) -> usize {
        (self.to - self.from) as usize
    }
}

/// The shortest piece of a rule followed past a long run: where a skewed
/// rule steps, or at its ends, its runs are short.
const STUB: usize = 4;

/// The runs of the rules in one direction, and how many rules they make.
struct RuleRuns {
    runs: Vec<Run>,
    lines: usize,
}

/// The runs that make rules. A rule starts from a run at least `min` long;
/// the pieces that continue it (starting within two pixels of a rule run's
/// end, at most two lines away; a letter touching a rule from the side does
/// not) are followed as far as they go; runs that touch make one rule
/// (across lines too: a skewed rule steps). Only rules spanning `min_span`
/// are kept.
fn rule_runs(all: Vec<Run>, lines: usize, min: usize, min_span: usize) -> RuleRuns {
    // Runs come sorted by (line, start): each line's are a slice.
    let mut first = vec![0usize; lines + 1];
    for r in &all {
        first[r.at as usize + 1] += 1;
    }
    for i in 0..lines {
        first[i + 1] += first[i];
    }
    let line_runs = |line: usize| first[line]..first[line + 1];
    // Union-find over runs: one set per rule.
    let mut parent: Vec<usize> = (0..all.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut rule = vec![false; all.len()];
    let mut todo: Vec<usize> = Vec::new();
    for (i, r) in all.iter().enumerate() {
        if r.len() >= min {
            rule[i] = true;
            todo.push(i);
        }
    }
    while let Some(i) = todo.pop() {
        let r = all[i];
        let (at, from, to) = (r.at as usize, r.from as usize, r.to as usize);
        for line in at.saturating_sub(2)..(at + 3).min(lines) {
            let range = line_runs(line);
            let slice = &all[range.clone()];
            // A line's runs are disjoint and sorted: starts and ends both
            // ascend, so each kind of neighbour is a range found by bisection.
            let pp = |f: &dyn Fn(&Run) -> bool| slice.partition_point(f);
            let after = pp(&|s| (s.from as usize) + 2 < to)..pp(&|s| (s.from as usize) <= to + 2);
            let before = pp(&|s| (s.to as usize) + 2 < from)..pp(&|s| (s.to as usize) <= from + 2);
            // Runs of a rule's other rows (its thickness, a step of a skew).
            let under = if line == at {
                0..0
            } else {
                pp(&|s| (s.to as usize) <= from)..pp(&|s| (s.from as usize) < to)
            };
            let continuing = after.chain(before).map(|k| (k, true));
            for (k, continues) in continuing.chain(under.map(|k| (k, false))) {
                let j = range.start + k;
                if !continues && !rule[j] {
                    continue;
                }
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a] = b;
                if !rule[j] {
                    rule[j] = true;
                    todo.push(j);
                }
            }
        }
    }
    // Each rule's span, then the runs of the long ones.
    let mut span: std::collections::HashMap<usize, (u32, u32)> = std::collections::HashMap::new();
    for (i, r) in all.iter().enumerate() {
        if rule[i] {
            let e = span.entry(root(&mut parent, i)).or_insert((r.from, r.to));
            e.0 = e.0.min(r.from);
            e.1 = e.1.max(r.to);
        }
    }
    let long = |span: &(u32, u32)| (span.1 - span.0) as usize >= min_span;
    let lines = span.values().filter(|s| long(s)).count();
    let runs = all
        .iter()
        .enumerate()
        .filter(|(i, _)| rule[*i])
        .filter(|(i, _)| span.get(&root(&mut parent, *i)).is_some_and(long))
        .map(|(_, r)| *r)
        .collect();
    RuleRuns { runs, lines }
}

/// Runs of at least `STUB` dark pixels (a one-pixel gap bridged: scans
/// break rules), along rows when `along_rows`, else along columns, sorted
/// by (line, start). Both read the image row by row (columns keep their
/// state in a row of counters): walking down the columns of a row-major
/// image cost twice the time.
fn runs(dark: &[bool], w: usize, h: usize, along_rows: bool) -> Vec<Run> {
    const NONE: usize = usize::MAX;
    let lines = if along_rows { 1 } else { w };
    let len = if along_rows { w } else { h };
    // Per line: where its open run started (NONE: no run), and the length
    // of the gap since its last dark pixel.
    let mut start = vec![NONE; lines];
    let mut gap = vec![0usize; lines];
    let mut out = Vec::new();
    let close = |out: &mut Vec<Run>, at: usize, from: usize, to: usize| {
        if to - from >= STUB {
            out.push(Run {
                at: at as u32,
                from: from as u32,
                to: to as u32,
            });
        }
    };
    for y in 0..=h {
        if along_rows && y == h {
            break;
        }
        // Past the last row (or a row's end): paper, which closes open runs.
        let row = if y < h {
            &dark[y * w..(y + 1) * w]
        } else {
            &[][..]
        };
        for x in 0..=w {
            let (slot, line, i) = match (along_rows, x < w) {
                (true, _) => (0, y, x),
                (false, true) => (x, x, y),
                (false, false) => break,
            };
            let d = row.get(x).copied().unwrap_or(false);
            let s = start[slot];
            if d {
                if s == NONE {
                    start[slot] = i;
                }
                gap[slot] = 0;
            } else if s != NONE {
                gap[slot] += 1;
                if gap[slot] > 1 || i == len {
                    close(&mut out, line, s, i + 1 - gap[slot]);
                    start[slot] = NONE;
                }
            }
        }
    }
    out.sort_unstable_by_key(|r| (r.at, r.from));
    out
}

/// The two pixels on each side of a rule's thickness `a..=b` (within `len`).
fn fringe(a: usize, b: usize, len: usize) -> impl Iterator<Item = usize> {
    (a.saturating_sub(2)..a).chain(b + 1..(b + 3).min(len))
}

/// Erases the crumbs a rule leaves: specks of fewer than `max` dark pixels
/// that touched an erased rule (tesseract read one beside a row number as
/// a `1` or a quote). A letter next to a rule is far larger.
fn sweep_crumbs(dark: &[bool], erase: &mut [bool], w: usize, h: usize, max: usize) {
    let mut seen = vec![false; w * h];
    let mut component = Vec::new();
    let mut stack = Vec::new();
    for i in 0..w * h {
        if !erase[i] {
            continue;
        }
        let (x, y) = (i % w, i / w);
        for (nx, ny) in neighbours(x, y, w, h) {
            let j = ny * w + nx;
            if !dark[j] || erase[j] || seen[j] {
                continue;
            }
            // Flood the speck, giving up once it is larger than a crumb.
            component.clear();
            stack.clear();
            stack.push(j);
            seen[j] = true;
            let mut small = true;
            while let Some(k) = stack.pop() {
                component.push(k);
                if component.len() > max {
                    small = false;
                    break;
                }
                for (mx, my) in neighbours(k % w, k / w, w, h) {
                    let m = my * w + mx;
                    if dark[m] && !erase[m] && !seen[m] {
                        seen[m] = true;
                        stack.push(m);
                    }
                }
            }
            if small {
                component.iter().for_each(|&k| erase[k] = true);
            }
        }
    }
}

fn neighbours(x: usize, y: usize, w: usize, h: usize) -> impl Iterator<Item = (usize, usize)> {
    let xs = x.saturating_sub(1)..=(x + 1).min(w - 1);
    xs.flat_map(move |nx| (y.saturating_sub(1)..=(y + 1).min(h - 1)).map(move |ny| (nx, ny)))
        .filter(move |&(nx, ny)| (nx, ny) != (x, y))
}

/// The dark run through (x, y) across a rule, as (first, last): down a
/// column for a horizontal rule (`vertical_rule` false), along the row for
/// a vertical one. None on paper.
fn across(
    dark: &[bool],
    w: usize,
    h: usize,
    x: usize,
    y: usize,
    vertical_rule: bool,
) -> Option<(usize, usize)> {
    let is = |x: usize, y: usize| dark[y * w + x];
    if !is(x, y) {
        return None;
    }
    if vertical_rule {
        let (mut l, mut r) = (x, x);
        while l > 0 && is(l - 1, y) {
            l -= 1;
        }
        while r + 1 < w && is(r + 1, y) {
            r += 1;
        }
        Some((l, r))
    } else {
        let (mut u, mut d) = (y, y);
        while u > 0 && is(x, u - 1) {
            u -= 1;
        }
        while d + 1 < h && is(x, d + 1) {
            d += 1;
        }
        Some((u, d))
    }
}

/// Otsu's threshold: the grey level that best splits ink from paper.
pub(super) fn otsu(img: &GrayImage) -> u8 {
    let mut hist = [0u64; 256];
    for &p in img.as_raw() {
        hist[p as usize] += 1;
    }
    let total: u64 = hist.iter().sum();
    let sum_all: f64 = hist
        .iter()
        .enumerate()
        .map(|(i, &n)| i as f64 * n as f64)
        .sum();
    let (mut w0, mut sum0, mut best, mut best_t) = (0u64, 0f64, -1f64, 128u8);
    for (t, &n) in hist.iter().enumerate() {
        w0 += n;
        if w0 == 0 || w0 == total {
            continue;
        }
        sum0 += t as f64 * n as f64;
        let w1 = total - w0;
        let (m0, m1) = (sum0 / w0 as f64, (sum_all - sum0) / w1 as f64);
        let between = w0 as f64 * w1 as f64 * (m0 - m1) * (m0 - m1);
        if between > best {
            best = between;
            best_t = t as u8;
        }
    }
    best_t.saturating_add(1)
}

/// The median grey of the paper (pixels above the threshold).
fn paper_level(img: &GrayImage, threshold: u8) -> u8 {
    let mut hist = [0u64; 256];
    for &p in img.as_raw().iter().filter(|&&p| p >= threshold) {
        hist[p as usize] += 1;
    }
    let half = hist.iter().sum::<u64>() / 2;
    let mut seen = 0;
    for (level, &n) in hist.iter().enumerate() {
        seen += n;
        if seen > half {
            return level as u8;
        }
    }
    255
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    fn later() -> Instant {
        Instant::now() + std::time::Duration::from_secs(600)
    }

    fn page() -> GrayImage {
        GrayImage::from_pixel(600, 800, Luma([240]))
    }

    fn fill(img: &mut GrayImage, x0: u32, y0: u32, x1: u32, y1: u32) {
        for y in y0..y1 {
            for x in x0..x1 {
                img.put_pixel(x, y, Luma([20]));
            }
        }
    }

    #[test]
    fn a_grid_is_found_and_erased_and_a_crossing_stroke_kept() {
        let mut img = page();
        for row in 0..5 {
            fill(&mut img, 50, 100 + row * 60, 550, 103 + row * 60);
        }
        for x in [50, 150, 550] {
            fill(&mut img, x, 100, x + 3, 343);
        }
        // A letter's stem that crosses the second rule.
        fill(&mut img, 300, 145, 304, 175);
        // A word: short dark marks with gaps.
        for i in 0..10 {
            fill(&mut img, 200 + i * 12, 120, 208 + i * 12, 140);
        }
        let rules = erase(&mut img, later()).expect("in time");
        assert_eq!((rules.horizontal, rules.vertical), (5, 3), "{rules:?}");
        assert!(rules.is_table());
        assert_eq!(img.get_pixel(400, 101).0[0], 240, "rule erased");
        assert_eq!(img.get_pixel(51, 200).0[0], 240, "vertical rule erased");
        assert_eq!(
            img.get_pixel(302, 161).0[0],
            20,
            "the stroke across the rule stays"
        );
        assert_eq!(img.get_pixel(302, 150).0[0], 20, "the stroke stays");
        assert_eq!(img.get_pixel(151, 161).0[0], 240, "a crossing erased");
        assert_eq!(img.get_pixel(203, 130).0[0], 20, "the word stays");
    }

    #[test]
    fn a_skewed_rule_is_one_rule() {
        let mut img = page();
        // 500 pixels long, stepping down one row every 50: about 1.1°.
        for i in 0..10 {
            fill(&mut img, 50 + i * 50, 300 + i, 100 + i * 50, 303 + i);
        }
        let rules = erase(&mut img, later()).expect("in time");
        assert_eq!(rules.horizontal, 1, "{rules:?}");
        assert!(!rules.is_table());
        assert_eq!(img.get_pixel(275, 305).0[0], 240);
    }

    #[test]
    fn prose_has_no_rules() {
        let mut img = page();
        for line in 0..20 {
            for word in 0..8 {
                let x = 40 + word * 65;
                fill(&mut img, x, 60 + line * 30, x + 50, 75 + line * 30);
            }
        }
        // Words are runs of letters, not one run: break each into letters.
        for x in (40..600).step_by(9) {
            for y in 0..800 {
                img.put_pixel(x, y, Luma([240]));
                img.put_pixel(x + 1, y, Luma([240]));
            }
        }
        let before = img.clone();
        let rules = erase(&mut img, later()).expect("in time");
        assert_eq!(rules, Rules::default());
        assert_eq!(img, before);
    }

    #[test]
    fn a_headline_letters_crossbar_is_no_rule() {
        // A 180-pixel serif capital T at 300 dpi on an A4 page, here at a
        // quarter scale: its crossbar is long and thin, but no line.
        let mut img = page();
        fill(&mut img, 100, 200, 200, 206);
        fill(&mut img, 146, 206, 154, 245);
        let before = img.clone();
        let rules = erase(&mut img, later()).expect("in time");
        assert_eq!(rules.erased, 0, "{rules:?}");
        assert_eq!(img, before);
    }

    #[test]
    fn a_mostly_dark_page_is_left_alone() {
        let mut img = page();
        fill(&mut img, 0, 0, 600, 500);
        for x in (20..580).step_by(7) {
            fill(&mut img, x, 600, x + 3, 640);
        }
        fill(&mut img, 40, 700, 560, 703);
        let before = img.clone();
        assert_eq!(erase(&mut img, later()).expect("in time"), Rules::default());
        assert_eq!(img, before);
    }

    #[test]
    fn past_its_deadline_the_erasing_stops() {
        let mut img = page();
        for row in 0..5 {
            fill(&mut img, 50, 100 + row * 60, 550, 103 + row * 60);
        }
        let e = erase(&mut img, Instant::now()).expect_err("late");
        assert_eq!(e.code, ErrorCode::ExtractionTimeout);
    }
}
