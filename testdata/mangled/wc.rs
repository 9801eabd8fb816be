use std::collections::HashMap;
struct Counter<T> { items: Vec<T> }
impl<T: Clone + std::hash::Hash + Eq> Counter<T> {
    #[inline(never)]
    fn count(&self) -> HashMap<T, usize> {
        let mut m = HashMap::new();
        for i in &self.items { *m.entry(i.clone()).or_insert(0) += 1; }
        m
    }
}
fn main() {
    let c = Counter { items: std::env::args().collect::<Vec<String>>() };
    let m = c.count();
    let v: Vec<_> = m.iter().map(|(k, n)| format!("{k}{n}")).collect();
    println!("{}", v.len());
}
