//! Result tables: what each section measured, printed as text and written as JSON.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::stats::Summary;

/// One contender's line in a table.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// Who ran (e.g. "C ABI (C driver)").
    pub contender: String,
    /// Median in the table's unit.
    pub median: Option<f64>,
    /// 99th percentile in the table's unit.
    pub p99: Option<f64>,
    /// This row's score over the best row's (1.00 = best, higher = worse), whatever the
    /// direction of the score.
    pub ratio: Option<f64>,
    /// How many samples the median and p99 are of.
    pub samples: usize,
    /// Further figures, by name (the table's `columns` are printed).
    pub extra: BTreeMap<String, f64>,
    /// Free text: how this contender measured, or why it was skipped.
    pub notes: String,
    /// The contender could not run (a tool is missing, or it failed); `notes` says why.
    pub skipped: bool,
    #[serde(skip)]
    score: Option<f64>,
}

impl Row {
    /// A row without figures yet.
    pub fn new(contender: impl Into<String>) -> Row {
        Row {
            contender: contender.into(),
            median: None,
            p99: None,
            ratio: None,
            samples: 0,
            extra: BTreeMap::new(),
            notes: String::new(),
            skipped: false,
            score: None,
        }
    }

    /// A row for a contender that could not run, saying why.
    pub fn skipped(contender: impl Into<String>, why: impl Into<String>) -> Row {
        Row {
            skipped: true,
            ..Row::new(contender).notes(format!("skipped: {}", why.into()))
        }
    }

    /// Sets median, p99 and sample count from `summary`, and scores the row on its median.
    pub fn summary(mut self, summary: Summary) -> Row {
        self.median = Some(summary.median);
        self.p99 = Some(summary.p99);
        self.samples = summary.count;
        self.score = Some(summary.median);
        self
    }

    /// Scores the row on `score` instead (the ratio column compares scores).
    pub fn score(mut self, score: f64) -> Row {
        self.score = Some(score);
        self
    }

    /// Adds a named figure.
    pub fn extra(mut self, name: &str, value: f64) -> Row {
        self.extra.insert(name.to_owned(), value);
        self
    }

    /// Leaves the row out of the ranking: shown for context (e.g. what the loop alone costs),
    /// not a contender.
    pub fn unscored(mut self) -> Row {
        self.score = None;
        self
    }

    /// Sets the notes.
    pub fn notes(mut self, notes: impl Into<String>) -> Row {
        self.notes = notes.into();
        self
    }
}

/// Which way a table's score is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    /// Latencies, sizes.
    Lower,
    /// Throughputs.
    Higher,
}

/// One section's results.
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    /// The section's key (`steady`, `cold`, …).
    pub section: String,
    /// What was measured, for people.
    pub title: String,
    /// The unit of median and p99.
    pub unit: String,
    /// What the ratio compares, and which way is better.
    pub ratio_on: String,
    /// The direction of the score.
    pub better: Better,
    /// The `extra` figures shown as columns, with their headings.
    pub columns: Vec<(String, String)>,
    /// Context: what bounds the figures, baselines.
    pub note: String,
    /// Whether rows are compared at all (not when they measure different things).
    pub ranked: bool,
    /// One per contender.
    pub rows: Vec<Row>,
}

impl Table {
    /// An empty table.
    pub fn new(section: &str, title: String, unit: &str, ratio_on: &str, better: Better) -> Table {
        Table {
            section: section.to_owned(),
            title,
            unit: unit.to_owned(),
            ratio_on: ratio_on.to_owned(),
            better,
            columns: Vec::new(),
            note: String::new(),
            ranked: true,
            rows: Vec::new(),
        }
    }

    /// A table whose rows measure different things: no ratio column.
    pub fn unranked(mut self) -> Table {
        self.ranked = false;
        self
    }

    /// Shows `extra[key]` as a column headed `heading`.
    pub fn column(mut self, key: &str, heading: &str) -> Table {
        self.columns.push((key.to_owned(), heading.to_owned()));
        self
    }

    /// Fills in every row's ratio to the best score.
    pub fn rank(&mut self) {
        if !self.ranked {
            return;
        }
        let scores = self.rows.iter().filter_map(|r| r.score);
        let best = match self.better {
            Better::Lower => scores.fold(f64::INFINITY, f64::min),
            Better::Higher => scores.fold(0.0, f64::max),
        };
        for row in &mut self.rows {
            row.ratio = row
                .score
                .filter(|s| *s > 0.0 && best > 0.0)
                .map(|s| match self.better {
                    Better::Lower => s / best,
                    Better::Higher => best / s,
                });
        }
    }

    /// The row of `contender`, if it ran.
    pub fn row(&self, contender: &str) -> Option<&Row> {
        self.rows
            .iter()
            .find(|r| r.contender == contender && (r.score.is_some() || r.median.is_some()))
    }

    /// The table as aligned text.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "\n== {}", self.title);
        let _ = writeln!(out, "   ({}; ratio on {})", self.unit, self.ratio_on);
        let _ = write!(
            out,
            "{:<34} {:>10} {:>10} {:>7}",
            "contender", "median", "p99", "ratio"
        );
        for (_, heading) in &self.columns {
            let _ = write!(out, " {heading:>12}");
        }
        let _ = writeln!(out, "  notes");
        for row in &self.rows {
            let _ = write!(
                out,
                "{:<34} {:>10} {:>10} {:>7}",
                row.contender,
                number(row.median),
                number(row.p99),
                row.ratio.map_or("-".into(), |r| format!("{r:.2}x")),
            );
            for (key, _) in &self.columns {
                let _ = write!(out, " {:>12}", number(row.extra.get(key).copied()));
            }
            let _ = writeln!(out, "  {}", row.notes);
        }
        if !self.note.is_empty() {
            let _ = writeln!(out, "   {}", self.note);
        }
        out
    }

    /// The table as Markdown, for BENCHMARKS.md.
    pub fn markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "### {}\n", self.title);
        let _ = writeln!(out, "{}; ratio on {}.\n", self.unit, self.ratio_on);
        let mut head = "| contender | median | p99 | ratio |".to_owned();
        let mut rule = "|---|---:|---:|---:|".to_owned();
        for (_, heading) in &self.columns {
            head.push_str(&format!(" {heading} |"));
            rule.push_str("---:|");
        }
        let _ = writeln!(out, "{head} notes |\n{rule}---|");
        for row in &self.rows {
            let _ = write!(
                out,
                "| {} | {} | {} | {} |",
                row.contender,
                number(row.median),
                number(row.p99),
                row.ratio.map_or("-".into(), |r| format!("{r:.2}x")),
            );
            for (key, _) in &self.columns {
                let _ = write!(out, " {} |", number(row.extra.get(key).copied()));
            }
            // A pipe or a line break in a note would break the Markdown table.
            let notes = row.notes.replace('|', "\\|").replace('\n', " ");
            let _ = writeln!(out, " {notes} |");
        }
        if !self.note.is_empty() {
            let _ = writeln!(out, "\n{}", self.note);
        }
        out
    }
}

/// A figure with as many decimals as its size deserves, or `-`.
fn number(value: Option<f64>) -> String {
    match value {
        None => "-".into(),
        Some(v) if v.abs() >= 1000.0 => format!("{v:.0}"),
        Some(v) if v.abs() >= 100.0 => format!("{v:.1}"),
        Some(v) => format!("{v:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_point_at_the_best_either_way() {
        let mut t = Table::new("t", "t".into(), "u", "median", Better::Lower);
        t.rows.push(Row::new("a").score(2.0));
        t.rows.push(Row::new("b").score(1.0));
        t.rows.push(Row::skipped("c", "absent"));
        t.rank();
        assert_eq!(t.rows[0].ratio, Some(2.0));
        assert_eq!(t.rows[1].ratio, Some(1.0));
        assert_eq!(t.rows[2].ratio, None);
        t.better = Better::Higher;
        t.rank();
        assert_eq!(t.rows[0].ratio, Some(1.0));
        assert_eq!(t.rows[1].ratio, Some(2.0));
    }
}
