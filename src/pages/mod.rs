//! One page per file.

mod not_found;
mod portfolio;
mod project;
mod weekly;

pub use not_found::NotFound;
pub use portfolio::PortfolioPage;
pub use project::ProjectPage;
pub use weekly::WeeklyPage;
