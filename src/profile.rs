//! Stage timings for developers: set `RALLY_PROFILE=1` to print how long each stage of every
//! build takes (to stderr). Costs one environment lookup per build when off.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Instant;

/// Shared by reference with the rendering threads, which time templates; hence mutexes,
/// which cost nothing when profiling is off (they are only locked when it is on).
pub struct Timer {
    on: bool,
    /// Wall and CPU time of the previous mark.
    last: Mutex<(Instant, f64)>,
    /// Per template: pages rendered and milliseconds spent in the template engine.
    templates: Mutex<BTreeMap<String, (u32, f64)>>,
}

impl Timer {
    pub fn start() -> Timer {
        let on = std::env::var_os("RALLY_PROFILE").is_some();
        Timer {
            on,
            last: Mutex::new((Instant::now(), if on { cpu_ms() } else { 0.0 })),
            templates: Mutex::new(BTreeMap::new()),
        }
    }

    /// Prints the time since the previous mark.
    pub fn mark(&self, stage: &str) {
        if self.on {
            let now = Instant::now();
            let cpu = cpu_ms();
            let mib = |key| memory_kib(key).map_or(f64::NAN, |k| k as f64 / 1024.0);
            let mut last = self.last.lock().unwrap_or_else(|e| e.into_inner());
            eprintln!(
                "[profile] {stage:<12} {:>8.2} ms, cpu {:>8.2} ms   (resident {:.0} MiB, peak {:.0} MiB)",
                (now - last.0).as_secs_f64() * 1000.0,
                cpu - last.1,
                mib("VmRSS:"),
                mib("VmHWM:"),
            );
            *last = (now, cpu);
        }
    }

    /// Prints how long one item took, if it took over a millisecond.
    pub fn note(&self, what: &str, since: Instant) {
        let ms = since.elapsed().as_secs_f64() * 1000.0;
        if self.on && ms > 1.0 {
            eprintln!("[profile]     {what} {ms:.2} ms");
        }
    }

    /// Adds one page's rendering time to its template's total (see `print_templates`).
    pub fn template(&self, name: &str, since: Instant) {
        if self.on {
            let ms = since.elapsed().as_secs_f64() * 1000.0;
            let mut all = self.templates.lock().unwrap_or_else(|e| e.into_inner());
            let entry = all.entry(name.to_string()).or_default();
            entry.0 += 1;
            entry.1 += ms;
        }
    }

    /// Prints, per template, how many pages it rendered and the summed time inside the
    /// template engine (summed over threads, so comparable with the stages' CPU time).
    pub fn print_templates(&self) {
        if !self.on {
            return;
        }
        let all = self.templates.lock().unwrap_or_else(|e| e.into_inner());
        let mut rows: Vec<_> = all.iter().collect();
        rows.sort_by(|a, b| b.1.1.total_cmp(&a.1.1));
        for (name, (pages, ms)) in rows {
            eprintln!(
                "[profile]     {name:<16} {pages:>6} pages {ms:>9.2} ms  ({:.1} us a page)",
                ms * 1000.0 / f64::from(*pages)
            );
        }
    }

    /// Marks `stage` when the returned guard is dropped.
    pub fn on_drop<'a>(&'a self, stage: &'a str) -> impl Drop + 'a {
        struct Guard<'a>(&'a Timer, &'a str);
        impl Drop for Guard<'_> {
            fn drop(&mut self) {
                self.0.mark(self.1);
            }
        }
        Guard(self, stage)
    }
}

/// Prints the process's peak resident memory (Linux: `VmHWM`, which unlike `getrusage` of a
/// child does not count memory the parent had when it spawned us).
pub fn print_peak_memory() {
    if std::env::var_os("RALLY_PROFILE").is_none() {
        return;
    }
    if let Some(kib) = memory_kib("VmHWM:") {
        eprintln!("[profile] peak memory {:.1} MiB", kib as f64 / 1024.0);
    }
}

/// CPU time used so far by all of this process's threads, in milliseconds (Linux: the sum
/// of `/proc/self/task/*/schedstat`, in nanoseconds; elsewhere NaN). Set beside the wall
/// time of a stage, it shows how much of the stage ran in parallel.
fn cpu_ms() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return f64::NAN;
    };
    let ns: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    ns as f64 / 1e6
}

/// A memory figure of this process from `/proc/self/status` (Linux), in KiB.
fn memory_kib(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
}
