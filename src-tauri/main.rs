fn main() { kartoteka_app::run() }
