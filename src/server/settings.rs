//! Settings from `BACKLENS_*` environment variables (flags override them).

use clap::{Args, ValueEnum};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything `backlens serve` needs. Each field documents its variable and default.
#[derive(Clone, Debug, Args)]
pub struct Settings {
    /// SQLite database URL; the file and its folder are created when missing.
    #[arg(
        long,
        env = "BACKLENS_DATABASE_URL",
        default_value = "sqlite://data/backlens.db"
    )]
    pub database_url: String,

    /// Address the dashboard listens on.
    #[arg(long, env = "BACKLENS_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// Folder for backlens's own files (demo repositories, work dirs).
    #[arg(long, env = "BACKLENS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// Seed the demo projects (sample backends as local git repositories) at start-up.
    #[arg(long, env = "BACKLENS_DEMO", default_value_t = false, action = clap::ArgAction::Set)]
    pub demo: bool,

    /// How many jobs run at once.
    #[arg(long, env = "BACKLENS_WORKER_CONCURRENCY", default_value_t = 2,
          value_parser = clap::value_parser!(u16).range(1..=64))]
    pub worker_concurrency: u16,

    /// Attempts before a job is marked failed.
    #[arg(long, env = "BACKLENS_JOB_MAX_ATTEMPTS", default_value_t = 3,
          value_parser = clap::value_parser!(u16).range(1..=20))]
    pub job_max_attempts: u16,

    /// Base retry delay in seconds; attempt n waits base × 2^(n-1).
    #[arg(long, env = "BACKLENS_JOB_BACKOFF_SECS", default_value_t = 10)]
    pub job_backoff_secs: u32,

    /// Log format: text or json.
    #[arg(long, env = "BACKLENS_LOG_FORMAT", value_enum, default_value = "text")]
    pub log_format: LogFormat,

    #[command(flatten)]
    pub github: super::github::settings::GitHubSettings,
    /// The quality loop (`BACKLENS_QUALITY_*`).
    #[command(flatten)]
    pub quality: super::quality::settings::QualitySettings,
}

impl Settings {
    /// Settings for tests: a given database, no demo, fast retries.
    pub fn for_tests(database_url: &str, data_dir: PathBuf) -> Settings {
        Settings {
            database_url: database_url.to_string(),
            addr: "127.0.0.1:0".parse().expect("valid address"),
            data_dir,
            demo: false,
            worker_concurrency: 2,
            job_max_attempts: 3,
            job_backoff_secs: 1,
            log_format: LogFormat::Text,
            github: Default::default(),
            quality: super::quality::settings::QualitySettings::defaults(),
        }
    }
}
