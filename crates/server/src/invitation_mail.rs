//! The invitation mail and its link.

use useradmin_api::Timestamp;

use crate::domain::Token;
use crate::mail::Outgoing;
use crate::state::AppState;

/// `<public-url>/invitation/<token>`: the registration page of the app.
fn link(public_url: &str, token: &Token) -> String {
    format!("{public_url}/invitation/{}", token.expose())
}

/// Queues the invitation mail with the link of `token` in the caller's transaction; returns
/// the link.
pub async fn enqueue(
    state: &AppState,
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    to: &str,
    token: &Token,
    expires: Timestamp,
    inviter: Option<&str>,
) -> anyhow::Result<String> {
    let link = link(&state.public_url, token);
    let who = inviter.map(|email| format!("{email} has invited you")).unwrap_or_else(|| "You are invited".to_owned());
    let expires = expires.to_string();
    let body = format!(
        "Hello,\n\n{who} to the user administration of the billing platform.\n\n\
         Complete your registration here:\n\n{link}\n\n\
         The link works once, until {date} {time} UTC. If it has expired, ask an administrator \
         to resend the invitation.\n",
        date = &expires[..10],
        time = &expires[11..16],
    );
    state.mailer.enqueue(&mut **tx, Outgoing { to, subject: "Your invitation to useradmin", body: &body }).await?;
    Ok(link)
}
