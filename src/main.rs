fn main() {
    println!("pullpath");
}
