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

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_with_and_without_threads() {
        let items: Vec<u32> = (0..10_000).collect();
        let doubled = super::map(items.clone(), 10, &|x| x * 2);
        assert_eq!(doubled, items.iter().map(|x| x * 2).collect::<Vec<_>>());
        assert_eq!(super::map(vec![1, 2, 3], 100, &|x| x + 1), vec![2, 3, 4]);
    }
}
