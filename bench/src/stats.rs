//! Exact order statistics over a run's samples (sorted, nearest-rank percentiles).

use serde::Serialize;

/// The summary of one contender's samples, in the unit they were taken in.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    /// How many samples.
    pub count: usize,
    /// The 50th percentile.
    pub median: f64,
    /// The 90th percentile (nearest rank).
    pub p90: f64,
    /// The 99th percentile (nearest rank).
    pub p99: f64,
    /// The arithmetic mean.
    pub mean: f64,
    /// The smallest sample.
    pub min: f64,
    /// The largest sample.
    pub max: f64,
}

impl Summary {
    /// Summarises `samples`; `None` when there are none.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        Some(Summary {
            count: sorted.len(),
            median: percentile(&sorted, 50.0),
            p90: percentile(&sorted, 90.0),
            p99: percentile(&sorted, 99.0),
            mean: sorted.iter().sum::<f64>() / sorted.len() as f64,
            min: sorted[0],
            max: sorted[sorted.len() - 1],
        })
    }

    /// The same summary with every figure multiplied by `factor` (a unit change).
    pub fn scaled(self, factor: f64) -> Summary {
        Summary {
            median: self.median * factor,
            p90: self.p90 * factor,
            p99: self.p99 * factor,
            mean: self.mean * factor,
            min: self.min * factor,
            max: self.max * factor,
            ..self
        }
    }
}

/// Nearest-rank percentile of already sorted, non-empty samples.
fn percentile(sorted: &[f64], pct: f64) -> f64 {
    let rank = ((pct / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let samples: Vec<f64> = (1..=100).map(f64::from).collect();
        let s = Summary::of(&samples).unwrap();
        assert_eq!((s.median, s.p99, s.min, s.max), (50.0, 99.0, 1.0, 100.0));
        assert_eq!(s.p90, 90.0);
        assert_eq!(Summary::of(&[7.0]).unwrap().p99, 7.0);
        assert!(Summary::of(&[]).is_none());
    }
}
