//! `BACKLENS_QUALITY_*` settings (flattened into `backlens serve`'s flags).

use super::sandbox::{Limits, SandboxMode};
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SandboxSetting {
    /// Debian's bubblewrap (the default).
    Bwrap,
    /// No sandbox: the reviewed project's code runs as backlens. Dangerous.
    Off,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum NetworkSetting {
    /// No network for any step (the default).
    None,
    /// The prepare step may reach package registries; check steps never.
    Registries,
}

#[derive(Clone, Debug, Args)]
pub struct QualitySettings {
    /// Run the project's own lint, type-check and tests after each review.
    #[arg(long = "quality", env = "BACKLENS_QUALITY", default_value_t = true, action = clap::ArgAction::Set)]
    pub enabled: bool,

    /// Quality loops that run at once.
    #[arg(long = "quality-concurrency", env = "BACKLENS_QUALITY_CONCURRENCY", default_value_t = 1,
          value_parser = clap::value_parser!(u16).range(1..=16))]
    pub concurrency: u16,

    /// Seconds one step may take before its process tree is killed.
    #[arg(
        long = "quality-step-timeout-secs",
        env = "BACKLENS_QUALITY_STEP_TIMEOUT_SECS",
        default_value_t = 600
    )]
    pub step_timeout_secs: u64,

    /// Seconds the whole loop may take; steps left when it runs out could not run.
    #[arg(
        long = "quality-timeout-secs",
        env = "BACKLENS_QUALITY_TIMEOUT_SECS",
        default_value_t = 1800
    )]
    pub loop_timeout_secs: u64,

    /// bwrap (default) or off (dangerous: no isolation at all).
    #[arg(
        long = "quality-sandbox",
        env = "BACKLENS_QUALITY_SANDBOX",
        value_enum,
        default_value = "bwrap"
    )]
    pub sandbox: SandboxSetting,

    /// none (default) or registries (only the prepare step may install dependencies).
    #[arg(
        long = "quality-network",
        env = "BACKLENS_QUALITY_NETWORK",
        value_enum,
        default_value = "none"
    )]
    pub network: NetworkSetting,

    /// Writable memory per process, in MiB.
    #[arg(
        long = "quality-memory-mb",
        env = "BACKLENS_QUALITY_MEMORY_MB",
        default_value_t = 2048
    )]
    pub memory_mb: u64,

    /// Processes of one loop at once.
    #[arg(
        long = "quality-max-processes",
        env = "BACKLENS_QUALITY_MAX_PROCESSES",
        default_value_t = 256
    )]
    pub max_processes: u64,

    /// Folder of the tools backlens provides (ruff, mypy, pytest, typescript, eslint); `dev.sh` installs them.
    #[arg(long = "quality-tools-dir", env = "BACKLENS_QUALITY_TOOLS_DIR")]
    pub tools_dir: Option<PathBuf>,
}

impl QualitySettings {
    /// Defaults, as with no variables set.
    pub fn defaults() -> QualitySettings {
        QualitySettings {
            enabled: true,
            concurrency: 1,
            step_timeout_secs: 600,
            loop_timeout_secs: 1800,
            sandbox: SandboxSetting::Bwrap,
            network: NetworkSetting::None,
            memory_mb: 2048,
            max_processes: 256,
            tools_dir: None,
        }
    }

    pub fn mode(&self) -> SandboxMode {
        match self.sandbox {
            SandboxSetting::Bwrap => SandboxMode::Bubblewrap,
            SandboxSetting::Off => SandboxMode::Off,
        }
    }

    pub fn tools_dir(&self) -> PathBuf {
        self.tools_dir.clone().unwrap_or_else(default_tools_dir)
    }

    pub fn loop_settings(&self) -> super::LoopSettings {
        let step = Duration::from_secs(self.step_timeout_secs.max(1));
        super::LoopSettings {
            mode: self.mode(),
            network_registries: self.network == NetworkSetting::Registries,
            step_timeout: step,
            loop_timeout: Duration::from_secs(self.loop_timeout_secs.max(1)),
            limits: Limits {
                max_processes: self.max_processes.max(8),
                memory_bytes: self.memory_mb.max(64) << 20,
                cpu_secs: self.step_timeout_secs.max(1) + 5,
                ..Limits::default()
            },
            tools: super::sandbox::default_tool_paths(&self.tools_dir()),
        }
    }
}

/// `$HOME/.cache/backlens/tools`, where `dev.sh` installs the tools.
pub fn default_tools_dir() -> PathBuf {
    std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/root"))
        .join(".cache/backlens/tools")
}

/// The settings from `BACKLENS_QUALITY_*` variables alone (for the CLI's
/// `review --quality`, which has no server flags).
pub fn from_env() -> Result<QualitySettings, clap::Error> {
    #[derive(clap::Parser)]
    struct FromEnv {
        #[command(flatten)]
        quality: QualitySettings,
    }
    <FromEnv as clap::Parser>::try_parse_from(["backlens"]).map(|f| f.quality)
}
