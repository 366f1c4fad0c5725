fn main() {
    let n: i32 = "three";
    println!("{n}");
}
