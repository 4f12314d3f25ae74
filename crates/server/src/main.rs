use clap::Parser;
use tracing_subscriber::EnvFilter;
use useradmin_server::configuration::Settings;
use useradmin_server::startup::Application;

/// Requests allocate and free many small values (every column of every row), on the runtime's
/// and the SQLite connections' threads; glibc's allocator spent a quarter of the time of a page
/// of users on it, mimalloc a fraction.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .init();
    let settings = Settings::parse();
    let application = Application::build(settings).await?;
    println!("listening on http://{}", application.address);
    if let Some(link) = &application.admin_invitation {
        println!("admin invitation: {link}");
    }
    application.run_until_stopped().await
}
