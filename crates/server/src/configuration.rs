//! Command-line flags; every flag also reads `USERADMIN_<FLAG>` from the environment.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(name = "useradmin-server", version, about = "The useradmin API and app server")]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "USERADMIN_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Folder of the SQLite database and, without SMTP, of the mail files (`mail/`).
    #[arg(long, env = "USERADMIN_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Database URL; defaults to the SQLite file `useradmin.db` in the data folder.
    #[arg(long, env = "USERADMIN_DATABASE_URL")]
    pub database_url: Option<String>,

    /// Base of the links in mails; defaults to `http://` and the bound address.
    #[arg(long, env = "USERADMIN_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Folder of the built app, served at `/`.
    #[arg(long, env = "USERADMIN_STATIC_DIR", default_value = "dist")]
    pub static_dir: PathBuf,

    /// Invited as a pending Administrator when there is no user at all.
    #[arg(long, env = "USERADMIN_ADMIN_EMAIL", default_value = "admin@example.com")]
    pub admin_email: String,

    /// Send mail over SMTP (`smtp://host:port`, `smtps://user:pass@host`); without it, mails are
    /// written as `.eml` files into `<data-dir>/mail/`.
    #[arg(long, env = "USERADMIN_SMTP_URL")]
    pub smtp_url: Option<String>,

    /// Sender address of the mails.
    #[arg(long, env = "USERADMIN_MAIL_FROM", default_value = "useradmin <no-reply@localhost>")]
    pub mail_from: String,

    /// How long an invitation link works, e.g. `7d`, `12h`, `30m`, `45s`.
    #[arg(long, env = "USERADMIN_INVITATION_TTL", default_value = "7d", value_parser = parse_duration)]
    pub invitation_ttl: Duration,

    /// Benchmarks only: serve each file of this folder from memory at `/__bench/plain/<name>`,
    /// without any check, as the fastest possible reference for `cargo xtask bench` (which
    /// builds with the `bench-plain` feature; other builds have no such flag).
    #[cfg(feature = "bench-plain")]
    #[arg(long, env = "USERADMIN_BENCH_PLAIN_DIR", hide = true)]
    pub bench_plain_dir: Option<PathBuf>,

    /// A session ends after this long without a request.
    #[arg(long, env = "USERADMIN_SESSION_IDLE_TIMEOUT", default_value = "12h", value_parser = parse_duration)]
    pub session_idle_timeout: Duration,

    /// A session ends this long after sign-in, however active it is.
    #[arg(long, env = "USERADMIN_SESSION_LIFETIME", default_value = "7d", value_parser = parse_duration)]
    pub session_lifetime: Duration,

    /// A new connection must send its first request's headers within this time, or it is
    /// closed (slow clients holding connections open).
    #[arg(long, env = "USERADMIN_HEADER_READ_TIMEOUT", default_value = "10s", value_parser = parse_duration)]
    pub header_read_timeout: Duration,

    /// A kept-alive connection without a request for this long is closed; longer than the
    /// proxies' and clients' own (nginx 60 s), so that none reuses a connection being closed.
    #[arg(long, env = "USERADMIN_IDLE_TIMEOUT", default_value = "120s", value_parser = parse_duration)]
    pub idle_timeout: Duration,

    /// Reverse proxies whose `X-Forwarded-For` is believed, comma-separated addresses or CIDR
    /// ranges (`127.0.0.1,10.0.0.0/8`); the client is the right-most entry not among them.
    #[arg(long, env = "USERADMIN_TRUSTED_PROXIES", value_delimiter = ',', value_parser = crate::client_address::parse_trusted_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Password hashes computed at once (each takes 19 MiB); requests beyond wait up to 2 s,
    /// then get 503. Defaults to two per core.
    #[arg(long, env = "USERADMIN_PASSWORD_HASH_SLOTS")]
    pub password_hash_slots: Option<usize>,

    /// Connections served at once; more wait until one closes.
    #[arg(long, env = "USERADMIN_MAX_CONNECTIONS", default_value = "1024")]
    pub max_connections: usize,
}

impl Settings {
    /// Settings for tests: port 0 on loopback, everything under `data_dir`.
    pub fn for_tests(data_dir: PathBuf) -> Settings {
        Settings::parse_from(["useradmin-server", "--listen", "127.0.0.1:0"]).with_data_dir(data_dir)
    }

    fn with_data_dir(mut self, data_dir: PathBuf) -> Settings {
        self.static_dir = data_dir.join("dist");
        self.data_dir = data_dir;
        self
    }

    /// The database URL to connect to.
    pub fn database_url(&self) -> String {
        self.database_url
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}?mode=rwc", self.default_database_path().display()))
    }

    /// The SQLite file used without `--database-url`.
    pub fn default_database_path(&self) -> PathBuf {
        self.data_dir.join("useradmin.db")
    }

    /// Where mail files go without SMTP.
    pub fn mail_dir(&self) -> PathBuf {
        self.data_dir.join("mail")
    }
}

/// `7d`, `12h`, `30m`, `45s`, `250ms`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("`{text}` is not a duration like 7d, 12h, 30m or 45s"))?;
    let seconds = match unit {
        "ms" => return Ok(Duration::from_millis(number)),
        "s" | "" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => {
            return Err(format!("`{text}` has an unknown unit; use d, h, m, s or ms"));
        }
    };
    Ok(Duration::from_secs(number * seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_with_their_units() {
        assert_eq!(parse_duration("7d"), Ok(Duration::from_secs(7 * 86_400)));
        assert_eq!(parse_duration("12h"), Ok(Duration::from_secs(12 * 3600)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("3 weeks").is_err());
    }
}
