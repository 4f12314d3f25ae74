//! Mail: written to the outbox table in the same transaction as the change that causes it,
//! then delivered from there by a background worker, over SMTP or as `.eml` files. A mail is
//! marked sent only after its transport accepted it, so none is lost; a claim with a deadline
//! keeps two workers from sending the same mail at once.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::{Any, Executor, Row};
use tokio::sync::Notify;

use crate::db::{Db, now};

/// How long a worker may take to deliver a claimed mail before another may try (or, after a
/// crash, the restarted server). Longer than the SMTP timeout.
const CLAIM_MS: i64 = 20_000;
/// The longest one SMTP conversation may take.
const SMTP_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the worker looks for mail even when nobody woke it.
const POLL: Duration = Duration::from_secs(1);

#[derive(Clone)]
enum Transport {
    /// `<dir>/mail-<outbox id>.eml`, written atomically (temporary file, then rename), so a
    /// crash never leaves half a mail and a retried mail replaces its own file.
    Files(PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Queues mail in the outbox and delivers it.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    wake: Arc<Notify>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match &self.transport {
            Transport::Files(dir) => format!("files in {}", dir.display()),
            Transport::Smtp(_) => "SMTP".to_owned(),
        };
        f.debug_struct("Mailer").field("transport", &kind).field("from", &self.from.to_string()).finish()
    }
}

/// Removes mail files a crash left half-written; their mails are still unsent in the outbox
/// and are written again. A file younger than a claim may belong to a live instance sharing
/// the folder, and is left alone.
async fn remove_partial_files(dir: &std::path::Path) -> anyhow::Result<()> {
    let mut entries = tokio::fs::read_dir(dir).await.context("listing the mail folder")?;
    while let Some(entry) = entries.next_entry().await? {
        if !entry.file_name().to_string_lossy().ends_with(".partial") {
            continue;
        }
        let age = entry.metadata().await.ok().and_then(|m| m.modified().ok()).and_then(|t| t.elapsed().ok());
        if age.is_some_and(|age| age < Duration::from_millis(CLAIM_MS.unsigned_abs())) {
            continue;
        }
        match tokio::fs::remove_file(entry.path()).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                return Err(error).context("removing a half-written mail");
            }
            _ => {}
        }
    }
    Ok(())
}

/// One mail to queue.
#[derive(Debug)]
pub struct Outgoing<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

impl Mailer {
    pub async fn new(smtp_url: Option<&str>, mail_dir: PathBuf, from: &str) -> anyhow::Result<Mailer> {
        let from: Mailbox = from.parse().with_context(|| format!("`{from}` is not a valid sender address"))?;
        let transport = match smtp_url {
            Some(url) => Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .with_context(|| "invalid SMTP URL".to_owned())?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build(),
            ),
            None => {
                // Only the server's user may read the mails: they hold live invitation links.
                let mut folder = tokio::fs::DirBuilder::new();
                folder.recursive(true).mode(0o700);
                folder
                    .create(&mail_dir)
                    .await
                    .with_context(|| format!("creating the mail folder {}", mail_dir.display()))?;
                remove_partial_files(&mail_dir).await?;
                Transport::Files(mail_dir)
            }
        };
        Ok(Mailer { transport, from, wake: Arc::new(Notify::new()) })
    }

    /// Queues a mail inside the caller's transaction; call [`Mailer::wake`] after the commit.
    pub async fn enqueue<'e, E>(&self, executor: E, mail: Outgoing<'_>) -> anyhow::Result<()>
    where
        E: Executor<'e, Database = Any>,
    {
        sqlx::query("INSERT INTO outbox (recipient, subject, body, created_at) VALUES ($1, $2, $3, $4)")
            .bind(mail.to)
            .bind(mail.subject)
            .bind(mail.body)
            .bind(now().millis())
            .execute(executor)
            .await
            .context("queueing a mail")?;
        Ok(())
    }

    /// Drops the mails to `recipient` not sent yet (their link no longer works).
    pub async fn forget_unsent<'e, E>(&self, executor: E, recipient: &str) -> anyhow::Result<()>
    where
        E: Executor<'e, Database = Any>,
    {
        sqlx::query("DELETE FROM outbox WHERE recipient = $1 AND sent_at IS NULL")
            .bind(recipient)
            .execute(executor)
            .await
            .context("dropping mails no longer wanted")?;
        Ok(())
    }

    /// Tells the worker that there is mail to deliver.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Delivers queued mail until the process ends.
    pub fn spawn_worker(&self, db: Db) -> tokio::task::JoinHandle<()> {
        let mailer = self.clone();
        tokio::spawn(async move {
            loop {
                if let Err(error) = mailer.deliver_pending(&db).await {
                    tracing::error!(error = format!("{error:#}"), "delivering mail failed; will retry");
                }
                tokio::select! {
                    () = mailer.wake.notified() => {}
                    () = tokio::time::sleep(POLL) => {}
                }
            }
        })
    }

    /// Delivers every mail that is due; returns how many were sent.
    pub async fn deliver_pending(&self, db: &Db) -> anyhow::Result<usize> {
        let mut sent = 0;
        loop {
            let now = now().millis();
            let due = sqlx::query(
                "SELECT id FROM outbox WHERE sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $1) \
                 ORDER BY id LIMIT 20",
            )
            .bind(now)
            .fetch_all(&db.pool)
            .await
            .context("listing due mail")?;
            if due.is_empty() {
                return Ok(sent);
            }
            for row in due {
                let id: i64 = row.try_get("id")?;
                // One mail's trouble must not hold up the others.
                match self.deliver_one(db, id).await {
                    Ok(true) => sent += 1,
                    Ok(false) => {}
                    Err(error) => tracing::error!(id, error = format!("{error:#}"), "delivering a mail failed"),
                }
            }
        }
    }

    /// Claims, sends and marks one mail; false when another worker had it.
    async fn deliver_one(&self, db: &Db, id: i64) -> anyhow::Result<bool> {
        let now = now().millis();
        // The claim's deadline doubles as its mark: only this claim may mark the mail sent.
        let claim = now + CLAIM_MS;
        // Claims the mail and reads it in one statement; no row when another worker has it or
        // it was dropped (its link superseded).
        let row = sqlx::query(
            "UPDATE outbox SET claimed_until = $1, attempts = attempts + 1 \
             WHERE id = $2 AND sent_at IS NULL AND (claimed_until IS NULL OR claimed_until < $3) \
             RETURNING recipient, subject, body, attempts",
        )
        .bind(claim)
        .bind(id)
        .bind(now)
        .fetch_optional(&db.pool)
        .await
        .context("claiming a mail")?;
        let Some(row) = row else { return Ok(false) };
        let recipient: String = row.try_get("recipient")?;
        let attempts: i64 = row.try_get("attempts")?;
        match self.send(id, &recipient, &row.try_get::<String, _>("subject")?, row.try_get("body")?).await {
            Ok(()) => {
                // The body held a live link: keep only the fact that it was sent.
                sqlx::query(
                    "UPDATE outbox SET sent_at = $1, last_error = NULL, body = '' \
                     WHERE id = $2 AND claimed_until = $3",
                )
                .bind(crate::db::now().millis())
                .bind(id)
                .bind(claim)
                .execute(&db.pool)
                .await
                .context("marking a mail sent")?;
                // Never the body or its link: whoever reads the log could take over the invitation.
                match &self.transport {
                    Transport::Files(dir) => tracing::info!(to = %recipient, id, dir = %dir.display(), "mail written"),
                    Transport::Smtp(_) => tracing::info!(to = %recipient, id, "mail sent"),
                }
                Ok(true)
            }
            Err(error) => {
                // Back off: 10 s, 20 s, 40 s … up to an hour.
                let backoff = (10_000_i64 << attempts.clamp(0, 9)).min(3_600_000);
                tracing::warn!(to = %recipient, attempts, error = format!("{error:#}"), "mail not delivered yet");
                sqlx::query("UPDATE outbox SET claimed_until = $1, last_error = $2 WHERE id = $3")
                    .bind(crate::db::now().millis() + backoff)
                    .bind(format!("{error:#}"))
                    .bind(id)
                    .execute(&db.pool)
                    .await?;
                Ok(false)
            }
        }
    }

    async fn send(&self, id: i64, to: &str, subject: &str, body: String) -> anyhow::Result<()> {
        let to: Mailbox = to.parse().with_context(|| format!("`{to}` is not a deliverable address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .header(lettre::message::header::ContentType::TEXT_PLAIN)
            .body(body)
            .context("building a mail")?;
        match &self.transport {
            Transport::Files(dir) => {
                let path = dir.join(format!("mail-{id:010}.eml"));
                let partial = dir.join(format!(".mail-{id:010}.eml.partial"));
                let mut file = tokio::fs::OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .mode(0o600)
                    .open(&partial)
                    .await
                    .context("creating a mail file")?;
                tokio::io::AsyncWriteExt::write_all(&mut file, &message.formatted())
                    .await
                    .context("writing a mail file")?;
                file.sync_all().await.context("flushing a mail file")?;
                tokio::fs::rename(&partial, &path).await.context("publishing a mail file")?;
            }
            Transport::Smtp(smtp) => {
                smtp.send(message).await.context("sending a mail over SMTP")?;
            }
        }
        Ok(())
    }
}
