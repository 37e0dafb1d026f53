//! Data parallelism without a dependency: scoped threads over contiguous chunks, results in
//! input order (output stays deterministic).

/// Maps `f` over `items` on the machine's cores, keeping the items' order. Below `min_items`,
/// threads cost more than they save and the map runs on the calling thread.
pub fn map<T: Send, R: Send>(
    items: Vec<T>,
    min_items: usize,
    f: &(dyn Fn(T) -> R + Sync),
) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if threads < 2 || items.len() < min_items.max(2) {
        return items.into_iter().map(f).collect();
    }
    // Inputs and results stay in one vector each: every thread takes its items from, and
    // writes its results into, its own contiguous part (no per-thread vectors to concatenate:
    // for a large plan those copies cost more memory than the model itself).
    let chunk = items.len().div_ceil(threads);
    let mut inputs: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let mut out: Vec<Option<R>> = Vec::with_capacity(inputs.len());
    out.resize_with(inputs.len(), || None);
    std::thread::scope(|scope| {
        let handles: Vec<_> = inputs
            .chunks_mut(chunk)
            .zip(out.chunks_mut(chunk))
            .map(|(ins, outs)| {
                scope.spawn(move || {
                    for (item, slot) in ins.iter_mut().zip(outs) {
                        *slot = item.take().map(f);
                    }
                })
            })
            .collect();
        for h in handles {
            if let Err(e) = h.join() {
                // A panic in a worker is a bug; re-raise it where the caller can catch it.
                std::panic::resume_unwind(e);
            }
        }
    });
    drop(inputs);
    // Every slot was filled above. (`map_while` keeps the collect in place: no second vector.)
    out.into_iter().map_while(|r| r).collect()
}

/// How a large structure that a run is done with is let go of. Freeing one piece by piece
/// costs about as much as building it did (a thousand parsed `.tf` files and what was made of
/// them: about a third of a second on a core, taken from the graph and the rules running
/// meanwhile).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    /// Freed on a thread of its own while the run goes on.
    Background,
    /// Kept until the process ends (its memory is then given back at once): for the `check`
    /// command, whose process ends with the run, and for one set of structures only (see
    /// [`Release::first`]), so that a run over many inputs does not hold them all.
    AtExit,
}

/// Set once the process is known to end with the run it is doing (see [`ends_with_run`]).
static ENDS_WITH_RUN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Says that the process ends when the current run ends (the `check` command does; a library
/// user's process does not, and frees everything).
pub fn ends_with_run() {
    ENDS_WITH_RUN.store(true, std::sync::atomic::Ordering::Relaxed);
}

impl Release {
    /// [`Release::AtExit`] for the first set of structures of a run (`first`) in a process that
    /// ends with the run; otherwise [`Release::Background`].
    pub fn first(first: bool) -> Release {
        if first && ENDS_WITH_RUN.load(std::sync::atomic::Ordering::Relaxed) {
            Release::AtExit
        } else {
            Release::Background
        }
    }

    /// Lets go of `x`, which cannot go to another thread: kept until exit, or freed here.
    pub fn release_here<T>(self, x: T) {
        match self {
            Release::AtExit => std::mem::forget(x),
            Release::Background => drop(x),
        }
    }

    /// Lets go of `x` this way. (Where no thread can be started, `x` is freed here.)
    pub fn release<T: Send + 'static>(self, x: T) {
        match self {
            Release::AtExit => std::mem::forget(x),
            Release::Background => {
                let _ = std::thread::Builder::new()
                    .name("pullpath-free".into())
                    .spawn(move || drop(x));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_with_and_without_threads() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = super::map(items.clone(), 10, &|x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(super::map(vec![1, 2, 3], 100, &|x| x + 1), vec![2, 3, 4]);
    }

    /// Released in the background, a structure is freed (its destructor runs); kept until exit,
    /// it is not. (The process-wide flag is never set in the library's tests.)
    #[test]
    fn release_frees_in_the_background_or_keeps_until_exit() {
        use super::Release;
        struct Flag(std::sync::mpsc::Sender<()>);
        impl Drop for Flag {
            fn drop(&mut self) {
                let _ = self.0.send(());
            }
        }
        assert_eq!(Release::first(true), Release::Background);
        assert_eq!(Release::first(false), Release::Background);
        let (tx, rx) = std::sync::mpsc::channel();
        Release::Background.release(Flag(tx.clone()));
        assert!(rx.recv_timeout(std::time::Duration::from_secs(30)).is_ok());
        Release::Background.release_here(Flag(tx.clone()));
        assert!(rx.try_recv().is_ok());
        Release::AtExit.release_here(Flag(tx.clone()));
        Release::AtExit.release(Flag(tx));
        // The only sender left is the kept one: nothing is sent, and the channel stays open.
        assert_eq!(
            rx.recv_timeout(std::time::Duration::from_millis(200)),
            Err(std::sync::mpsc::RecvTimeoutError::Timeout)
        );
    }
}
