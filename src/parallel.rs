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
    let chunk = items.len().div_ceil(threads);
    let mut chunks: Vec<Vec<T>> = Vec::with_capacity(threads);
    let mut items = items.into_iter();
    loop {
        let c: Vec<T> = items.by_ref().take(chunk).collect();
        if c.is_empty() {
            break;
        }
        chunks.push(c);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|c| scope.spawn(move || c.into_iter().map(f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| match h.join() {
                Ok(v) => v,
                // A panic in a worker is a bug; re-raise it where the caller can catch it.
                Err(e) => std::panic::resume_unwind(e),
            })
            .collect()
    })
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
