//! The sending loop over the persistent queue. Each row is claimed (on disk) before its SMTP
//! transaction and settled right after the server's answer; a row still claimed when the loop
//! starts belonged to a process that died, and becomes "uncertain" for the user to decide.
//! One sender per campaign: the queue holds the campaigns it sends for the whole run (a file
//! lock beside a database file; a session lock on a server, so across PCs) and lets go when the
//! run ends or its process dies, after which another sender may resume.
//!
//! lettre's own transports never set TCP_NODELAY, so each message waited for a delayed ACK
//! (~22 messages/s to a local server). Here the TCP stream is opened by us with nodelay and
//! handed to lettre's `AsyncSmtpConnection`, which still speaks the protocol, STARTTLS and AUTH.

use super::render::{self, MergeValues};
use super::{MailSettings, QueueCounts, Security};
use crate::error::{Error, Result};
use crate::mail::Claimed;
use crate::store::Store;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter};
use lettre::{Address, Message};
use serde::Serialize;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Where and how to connect; built from the settings (and the password kept outside the
/// database) or from an `smtp://host:port` given on the command line.
#[derive(Clone)]
pub struct SmtpTarget {
    pub host: String,
    pub port: u16,
    pub security: Security,
    pub username: Option<String>,
    pub password: Option<String>,
    /// How long to wait for any one answer of the server.
    pub timeout: Duration,
    /// Pause before trying a recipient again after a temporary failure (times the attempt).
    pub retry_delay: Duration,
    /// Temporary failures (4xx, dropped connection, timeout) are retried this many times in all.
    pub max_attempts: i64,
}

impl std::fmt::Debug for SmtpTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the password, not even in a debug log.
        f.debug_struct("SmtpTarget")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .finish_non_exhaustive()
    }
}

/// Why a login without encryption is refused; shown at the "security" field of the settings.
pub const PLAIN_LOGIN_REFUSED: &str = "Logowanie bez szyfrowania wysłałoby login i hasło przez sieć otwartym tekstem. \
     Wybierz STARTTLS albo TLS; bez szyfrowania można się logować tylko do serwera na tym komputerze (127.0.0.1, ::1, localhost).";

/// A server on this computer: the only place a password may travel unencrypted, because it
/// never leaves the machine. Names other than `localhost` are not resolved: DNS could point
/// anywhere.
pub fn is_loopback_host(host: &str) -> bool {
    let h = host.trim().trim_matches(['[', ']']).trim_end_matches('.');
    if h.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match h.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(a)) => a.is_loopback(),
        Ok(std::net::IpAddr::V6(a)) => {
            a.is_loopback() || a.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

/// `raw` as it may be shown or logged: whatever stands before the last `@` (user and password)
/// becomes `***`, parsed or not, so a typo in the URL never echoes the password.
pub fn redact_url(raw: &str) -> String {
    match raw.rfind('@') {
        None => raw.to_string(),
        Some(at) => {
            let scheme_end = raw
                .find("://")
                .map(|i| i + 3)
                .filter(|i| *i <= at)
                .unwrap_or(0);
            format!("{}***{}", &raw[..scheme_end], &raw[at..])
        }
    }
}

impl SmtpTarget {
    /// Refuses a login over plain SMTP to anything but this computer, before any connection.
    pub fn check_login_security(&self) -> Result<()> {
        if self.security == Security::None
            && self.username.is_some()
            && !is_loopback_host(&self.host)
        {
            return Err(Error::invalid("security", PLAIN_LOGIN_REFUSED));
        }
        Ok(())
    }

    pub fn from_settings(s: &MailSettings, password: Option<String>) -> Result<SmtpTarget> {
        if s.host.is_empty() {
            return Err(Error::invalid(
                "host",
                "Ustaw serwer poczty (SMTP) w ustawieniach poczty.",
            ));
        }
        let target = SmtpTarget {
            host: s.host.clone(),
            port: s.port,
            security: s.security,
            username: (!s.username.is_empty()).then(|| s.username.clone()),
            password,
            timeout: Duration::from_secs(60),
            retry_delay: Duration::from_secs(5),
            max_attempts: 3,
        };
        target.check_login_security()?;
        Ok(target)
    }

    /// `smtp://host:port` (plain), `smtp+starttls://host:port` or `smtps://host:port` (TLS).
    pub fn from_url(raw: &str) -> Result<SmtpTarget> {
        let shown = redact_url(raw);
        let bad = || {
            Error::BadArgument(format!("„{shown}” to nie adres serwera poczty. Przykład: smtp://127.0.0.1:2525 albo smtps://smtp.example.org:465"))
        };
        let url = url::Url::parse(raw).map_err(|_| bad())?;
        let (security, default_port) = match url.scheme() {
            "smtp" => (Security::None, 25),
            "smtp+starttls" => (Security::Starttls, 587),
            "smtps" => (Security::Tls, 465),
            _ => return Err(bad()),
        };
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(bad)?
            .trim_matches(['[', ']'])
            .to_string();
        // The URL keeps user and password percent-encoded ("p%40ss" for "p@ss").
        let decode = |s: &str| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        };
        let username = (!url.username().is_empty()).then(|| decode(url.username()));
        let target = SmtpTarget {
            host,
            port: url.port().unwrap_or(default_port),
            security,
            username,
            password: url.password().map(decode),
            timeout: Duration::from_secs(60),
            retry_delay: Duration::from_secs(5),
            max_attempts: 3,
        };
        if target.check_login_security().is_err() {
            return Err(Error::BadArgument(format!(
                "„{shown}”: logowanie przez smtp:// (bez szyfrowania) jest dozwolone tylko do serwera na tym komputerze (127.0.0.1, ::1, localhost). Użyj smtp+starttls:// albo smtps://."
            )));
        }
        Ok(target)
    }
}

/// Counts over the campaigns the loop worked on (all their recipients, not only this run's).
#[derive(Debug, Clone, Default, Serialize)]
pub struct SendSummary {
    pub messages: Vec<i64>,
    pub sent: i64,
    pub failed: i64,
    pub uncertain: i64,
    pub queued: i64,
    pub skipped_no_consent: i64,
    pub skipped_other: i64,
    pub paused: bool,
    /// Messages sent in this run, and how long it took.
    pub sent_now: i64,
    pub seconds: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Progress {
    pub message_id: i64,
    pub counts: QueueCounts,
}

/// Options of one run of the loop.
pub struct RunOptions<'a> {
    pub target: SmtpTarget,
    pub settings: MailSettings,
    /// Only this campaign; otherwise every campaign being sent.
    pub only: Option<i64>,
    pub pause: &'a AtomicBool,
    pub on_progress: &'a (dyn Fn(&Progress) + Send + Sync),
}

/// Why a run is refused while another PC sends the campaign (on a server; on a file the queue
/// says another window or command sends).
pub const OTHER_SENDER: &str = "Tę kampanię wysyła teraz inny komputer. Poczekaj, aż skończy; jeśli tamten komputer wyłączył się w trakcie, wznów wysyłkę tutaj za chwilę (nikt nie dostanie wiadomości dwa razy).";

/// The server's refusal in Polish first, its own words after: the office reads the first
/// part, the provider's helpdesk the second. lettre's English prefix is dropped.
fn describe(e: &lettre::transport::smtp::Error) -> String {
    let text = e.to_string();
    let server_text = ["permanent error (", "transient error ("]
        .iter()
        .find_map(|prefix| text.strip_prefix(prefix))
        .and_then(|rest| rest.split_once("): ").map(|(_, said)| said.to_string()))
        .unwrap_or(text);
    let code = e.status().map(|c| c.to_string()).unwrap_or_default();
    let polish = reply_in_polish(&code, e.is_permanent());
    format!("{polish} ({code}); serwer: {server_text}")
        .chars()
        .take(500)
        .collect()
}

/// What an SMTP reply code means for the person sending, in words they use.
fn reply_in_polish(code: &str, permanent: bool) -> &'static str {
    match code {
        "550" | "551" | "553" => {
            "adres odbiorcy odrzucony: skrzynka nie istnieje lub jest zablokowana"
        }
        "552" => "skrzynka odbiorcy jest pełna albo wiadomość jest za duża",
        "554" => "serwer odrzucił wiadomość (np. jako niechcianą)",
        "421" => "serwer chwilowo zamknął połączenie; wiadomość zostanie wysłana ponownie",
        "450" | "451" | "452" => {
            "serwer chwilowo nie przyjął wiadomości; zostanie wysłana ponownie"
        }
        "530" | "535" => "serwer wymaga poprawnego logowania",
        _ if permanent => "serwer odrzucił wiadomość",
        _ => "serwer chwilowo nie przyjął wiadomości; zostanie wysłana ponownie",
    }
}

/// Why a connection could not be made, in Polish; the library's own text goes to the log.
fn connect_failure(stage: &str, error: &dyn std::fmt::Display) -> String {
    tracing::warn!(stage, error = %error, "smtp connection failed");
    let text = error.to_string();
    let lower = text.to_lowercase();
    if lower.contains("refused") {
        "serwer odmawia połączenia: sprawdź adres serwera i port".into()
    } else if lower.contains("lookup") || lower.contains("not known") || lower.contains("resolve") {
        "nie znaleziono serwera o tej nazwie: sprawdź adres serwera".into()
    } else if lower.contains("unreachable") {
        "serwer jest nieosiągalny: sprawdź połączenie z siecią".into()
    } else if lower.contains("timed out") || lower.contains("timeout") {
        "serwer nie odpowiada".into()
    } else if stage == "tls" || lower.contains("tls") || lower.contains("certificate") {
        "nie udało się nawiązać połączenia szyfrowanego: sprawdź zabezpieczenie (TLS/STARTTLS) i port"
            .into()
    } else if stage == "login" {
        "serwer nie przyjął loginu lub hasła".into()
    } else {
        "połączenie z serwerem poczty nie powiodło się".into()
    }
}

/// What the server said about one message.
enum Outcome {
    Sent(String),
    /// Refused for good (5xx): do not try again. `bounce` when the mailbox does not exist.
    Refused {
        reply: String,
        bounce: bool,
    },
    /// Refused for now or the connection broke before the message was handed over.
    Temporary(String),
    /// The connection broke after the whole message was sent, before the server answered.
    Unknown(String),
}

struct Prepared {
    message_id: i64,
    subject: String,
    body: String,
    attachments: Vec<(String, String, Vec<u8>)>,
}

pub async fn run(store: &dyn Store, opts: RunOptions<'_>) -> Result<SendSummary> {
    opts.target.check_login_security()?;
    let started = Instant::now();
    let mut queue = store.queue_conn().await?;
    let wanted = match opts.only {
        Some(id) => vec![id],
        None => store.sending_messages().await?,
    };
    // One sender per campaign, across processes and PCs: held until this run ends (or its
    // process dies, when another PC may resume).
    let messages = queue.hold_campaigns(&wanted).await?;
    if messages.len() < wanted.len() {
        if opts.only.is_some() || messages.is_empty() {
            return Err(Error::Busy(OTHER_SENDER.into()));
        }
        tracing::info!(
            skipped = wanted.len() - messages.len(),
            "campaigns sent by another computer left to it"
        );
    }
    let interrupted = queue.mark_interrupted().await?;
    if interrupted > 0 {
        tracing::warn!(
            rows = interrupted,
            "queue rows interrupted by an earlier crash marked uncertain"
        );
    }
    let from: Address = opts.settings.from_address.parse().map_err(|_| {
        Error::invalid(
            "from_address",
            "Ustaw poprawny adres nadawcy w ustawieniach poczty.",
        )
    })?;
    let footer = opts.settings.footer();
    let interval = (opts.settings.rate_per_minute > 0)
        .then(|| Duration::from_secs_f64(60.0 / opts.settings.rate_per_minute as f64));
    let mut counts = std::collections::HashMap::new();
    for id in &messages {
        counts.insert(*id, queue.counts_for(&[*id]).await?);
    }
    let mut prepared: Option<Prepared> = None;
    let mut conn: Option<AsyncSmtpConnection> = None;
    let mut sent_now = 0i64;
    let mut next_slot = Instant::now();
    let mut paused = false;
    let mut current = 0;
    tracing::info!(messages = ?messages, rate = opts.settings.rate_per_minute, "sending started");
    loop {
        // Pace first, claim after: a process killed while waiting leaves the row queued.
        if interval.is_some() {
            while Instant::now() < next_slot && !opts.pause.load(Ordering::Relaxed) {
                tokio::time::sleep((next_slot - Instant::now()).min(Duration::from_millis(200)))
                    .await;
            }
        }
        if opts.pause.load(Ordering::Relaxed) {
            // Only this sender's campaigns: another PC's go on.
            for id in &messages {
                queue.pause_all(Some(*id)).await?;
            }
            paused = true;
            break;
        }
        if conn.is_none() {
            match connect(&opts.target).await {
                Ok(c) => conn = Some(c),
                Err(e) => {
                    queue.finish_messages().await?;
                    return Err(Error::Smtp(format!(
                        "Nie udało się połączyć z serwerem poczty {}:{} ({e}). Kolejka czeka nienaruszona: wznów wysyłkę, gdy serwer będzie dostępny.",
                        opts.target.host, opts.target.port
                    )));
                }
            }
        }
        // The held campaigns in turn, never another sender's.
        let mut next = None;
        while let Some(id) = messages.get(current) {
            next = queue.claim_next(Some(*id)).await?;
            if next.is_some() {
                break;
            }
            current += 1;
        }
        let Some(item) = next else {
            break;
        };
        if let Some(interval) = interval {
            next_slot = Instant::now().max(next_slot) + interval;
        }
        if prepared.as_ref().map(|p| p.message_id) != Some(item.message_id) {
            let m = store.get_message(item.message_id).await?;
            prepared = Some(Prepared {
                message_id: m.id,
                subject: m.subject,
                body: m.body,
                attachments: store.attachment_data(m.id).await?,
            });
            counts.entry(item.message_id).or_insert(m.counts);
        }
        let p = prepared.as_ref().unwrap();
        let outcome = match build(p, &item, &from, &opts.settings, &footer) {
            Err(reason) => Outcome::Refused {
                reply: reason,
                bounce: false,
            },
            Ok(email) => {
                let c = conn.as_mut().unwrap();
                match tokio::time::timeout(
                    opts.target.timeout * 3,
                    transaction(c, &email, opts.target.timeout),
                )
                .await
                {
                    Ok(o) => o,
                    Err(_) => {
                        Outcome::Unknown("serwer nie odpowiedział w wyznaczonym czasie".into())
                    }
                }
            }
        };
        let c = counts.get_mut(&item.message_id).unwrap();
        c.queued -= 1;
        match outcome {
            Outcome::Sent(reply) => {
                queue.settle(item.id, "sent", &reply).await?;
                c.sent += 1;
                sent_now += 1;
            }
            Outcome::Refused { reply, bounce } => {
                queue.settle(item.id, "failed", &reply).await?;
                c.failed += 1;
                if bounce {
                    store.record_bounce(&item.address, &reply).await?;
                }
                tracing::info!(queue_row = item.id, "recipient refused");
            }
            Outcome::Temporary(reply) => {
                conn = None;
                if item.attempts >= opts.target.max_attempts {
                    queue
                        .settle(
                            item.id,
                            "failed",
                            &format!("{reply} (próby: {})", item.attempts),
                        )
                        .await?;
                    c.failed += 1;
                } else {
                    queue.settle(item.id, "queued", &reply).await?;
                    c.queued += 1;
                    tracing::info!(
                        queue_row = item.id,
                        attempt = item.attempts,
                        "temporary failure, will retry"
                    );
                    tokio::time::sleep(opts.target.retry_delay * item.attempts as u32).await;
                }
            }
            Outcome::Unknown(reply) => {
                conn = None;
                queue.settle(item.id, "uncertain", &reply).await?;
                c.uncertain += 1;
            }
        }
        (opts.on_progress)(&Progress {
            message_id: item.message_id,
            counts: c.clone(),
        });
    }
    if let Some(mut c) = conn {
        let _ = tokio::time::timeout(Duration::from_secs(5), c.quit()).await;
    }
    queue.finish_messages().await?;
    let mut summary = SendSummary {
        messages: messages.clone(),
        paused,
        sent_now,
        seconds: started.elapsed().as_secs_f64(),
        ..Default::default()
    };
    for id in &messages {
        let m = store.get_message(*id).await?;
        summary.sent += m.counts.sent;
        summary.failed += m.counts.failed;
        summary.uncertain += m.counts.uncertain;
        summary.queued += m.counts.queued + m.counts.sending;
        summary.skipped_no_consent += m.skipped_no_consent;
        summary.skipped_other += m.skipped_other;
    }
    tracing::info!(
        sent = sent_now,
        seconds = summary.seconds,
        "sending stopped"
    );
    drop(queue);
    Ok(summary)
}

/// Sends one message outside the queue (the test copy to oneself).
pub async fn send_one(target: &SmtpTarget, email: &Message) -> Result<()> {
    target.check_login_security()?;
    let mut conn = connect(target).await.map_err(|e| {
        Error::Smtp(format!(
            "Nie udało się połączyć z serwerem poczty {}:{} ({e}).",
            target.host, target.port
        ))
    })?;
    let outcome = transaction(&mut conn, email, target.timeout).await;
    let _ = tokio::time::timeout(Duration::from_secs(5), conn.quit()).await;
    match outcome {
        Outcome::Sent(_) => Ok(()),
        Outcome::Refused { reply, .. } | Outcome::Temporary(reply) | Outcome::Unknown(reply) => {
            Err(Error::Smtp(format!(
                "Serwer nie przyjął wiadomości testowej: {reply}"
            )))
        }
    }
}

async fn connect(t: &SmtpTarget) -> std::result::Result<AsyncSmtpConnection, String> {
    let hello = ClientId::default();
    let attempt = async {
        let mut conn = match t.security {
            Security::Tls => {
                let tls =
                    TlsParameters::new(t.host.clone()).map_err(|e| connect_failure("tls", &e))?;
                AsyncSmtpConnection::connect_tokio1(
                    (t.host.as_str(), t.port),
                    Some(t.timeout),
                    &hello,
                    Some(tls),
                    None,
                )
                .await
                .map_err(|e| connect_failure("tls", &e))?
            }
            Security::Starttls | Security::None => {
                let tcp = tokio::net::TcpStream::connect((t.host.as_str(), t.port))
                    .await
                    .map_err(|e| connect_failure("tcp", &e))?;
                tcp.set_nodelay(true)
                    .map_err(|e| connect_failure("tcp", &e))?;
                let mut conn = AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &hello)
                    .await
                    .map_err(|e| connect_failure("greeting", &e))?;
                if t.security == Security::Starttls {
                    let tls = TlsParameters::new(t.host.clone())
                        .map_err(|e| connect_failure("tls", &e))?;
                    conn.starttls(tls, &hello)
                        .await
                        .map_err(|e| connect_failure("tls", &e))?;
                }
                conn
            }
        };
        if let Some(user) = &t.username {
            let credentials =
                Credentials::new(user.clone(), t.password.clone().unwrap_or_default());
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials)
                .await
                .map_err(|e| format!("logowanie nie powiodło się: {}", describe(&e)))?;
        }
        Ok(conn)
    };
    tokio::time::timeout(t.timeout, attempt)
        .await
        .map_err(|_| "serwer nie odpowiada".to_string())?
}

/// One SMTP transaction, step by step, so that what failed before the message was handed over
/// (safe to retry) is told apart from a break after it (uncertain).
async fn transaction(
    conn: &mut AsyncSmtpConnection,
    email: &Message,
    timeout: Duration,
) -> Outcome {
    let envelope = email.envelope();
    let bytes = email.formatted();
    let mut params = Vec::new();
    if !bytes.is_ascii() && conn.server_info().supports_feature(Extension::EightBitMime) {
        params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let step = |r: std::result::Result<
        std::result::Result<_, lettre::transport::smtp::Error>,
        tokio::time::error::Elapsed,
    >| match r {
        Ok(x) => x.map_err(Some),
        Err(_) => Err(None),
    };
    let before = async {
        step(
            tokio::time::timeout(
                timeout,
                conn.command(Mail::new(envelope.from().cloned(), params)),
            )
            .await,
        )?;
        for to in envelope.to() {
            step(tokio::time::timeout(timeout, conn.command(Rcpt::new(to.clone(), vec![]))).await)?;
        }
        step(tokio::time::timeout(timeout, conn.command(Data)).await)?;
        Ok::<(), Option<lettre::transport::smtp::Error>>(())
    };
    match before.await {
        Ok(()) => {}
        Err(Some(e)) if e.is_permanent() => {
            let code = e.status().map(|c| c.to_string()).unwrap_or_default();
            let _ = tokio::time::timeout(timeout, conn.command(Rset)).await;
            return Outcome::Refused {
                reply: describe(&e),
                bounce: ["550", "551", "553"].contains(&code.as_str()),
            };
        }
        Err(Some(e)) if e.is_transient() => {
            let _ = tokio::time::timeout(timeout, conn.command(Rset)).await;
            return Outcome::Temporary(describe(&e));
        }
        Err(Some(e)) => return Outcome::Temporary(describe(&e)),
        Err(None) => {
            return Outcome::Temporary("serwer nie odpowiedział w wyznaczonym czasie".into())
        }
    }
    match tokio::time::timeout(timeout, conn.message(&bytes)).await {
        Ok(Ok(resp)) => Outcome::Sent(
            format!(
                "{} {}",
                resp.code(),
                resp.message().collect::<Vec<_>>().join(" ")
            )
            .chars()
            .take(500)
            .collect(),
        ),
        Ok(Err(e)) if e.is_permanent() => Outcome::Refused {
            reply: describe(&e),
            bounce: false,
        },
        Ok(Err(e)) if e.is_transient() => Outcome::Temporary(describe(&e)),
        Ok(Err(e)) => Outcome::Unknown(format!(
            "połączenie przerwane po wysłaniu treści: {}",
            describe(&e)
        )),
        Err(_) => Outcome::Unknown("serwer nie potwierdził przyjęcia w wyznaczonym czasie".into()),
    }
}

/// Builds one recipient's e-mail; `Err` says in Polish why it cannot be built.
fn build(
    p: &Prepared,
    item: &Claimed,
    from: &Address,
    settings: &MailSettings,
    footer: &render::Footer,
) -> std::result::Result<Message, String> {
    let values: MergeValues = serde_json::from_str(&item.merge_fields).unwrap_or_default();
    let to: Address = item
        .address
        .parse()
        .map_err(|_| "niepoprawny adres odbiorcy".to_string())?;
    let rendered = render::render(&p.subject, &p.body, &values, footer);
    build_message(
        &rendered,
        from,
        to,
        &item.recipient_name,
        settings,
        &format!("{}.{}", p.message_id, item.id),
        &p.attachments,
    )
}

pub fn build_message(
    rendered: &render::Rendered,
    from: &Address,
    to: Address,
    to_name: &str,
    settings: &MailSettings,
    id: &str,
    attachments: &[(String, String, Vec<u8>)],
) -> std::result::Result<Message, String> {
    let from_name = (!settings.from_name.is_empty()).then(|| settings.from_name.clone());
    let to_name = (!to_name.is_empty()).then(|| to_name.to_string());
    let domain = from.domain().to_string();
    let nonce: u64 = rand::random();
    let mut builder = Message::builder()
        .from(Mailbox::new(from_name, from.clone()))
        .to(Mailbox::new(to_name, to))
        .subject(rendered.subject.clone())
        .message_id(Some(format!("<kartoteka.{id}.{nonce:016x}@{domain}>")))
        .raw_header(HeaderValue::new(
            HeaderName::new_from_ascii_str("List-Unsubscribe"),
            format!("<mailto:{}?subject=wypisz>", settings.unsubscribe()),
        ))
        .user_agent("Kartoteka".into());
    if !settings.reply_to.is_empty() {
        if let Ok(a) = settings.reply_to.parse::<Address>() {
            builder = builder.reply_to(Mailbox::new(None, a));
        }
    }
    let alternative =
        MultiPart::alternative_plain_html(rendered.text.clone(), rendered.html.clone());
    let body = if attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for (name, content_type, data) in attachments {
            let ct = ContentType::parse(content_type)
                .unwrap_or(ContentType::parse("application/octet-stream").unwrap());
            mixed = mixed.singlepart(Attachment::new(name.clone()).body(data.clone(), ct));
        }
        mixed
    };
    builder
        .multipart(body)
        .map_err(|e| format!("nie udało się złożyć wiadomości: {e}"))
}

#[cfg(test)]
mod tests {
    use super::{connect_failure, reply_in_polish};
    use std::io::{Error, ErrorKind};

    #[test]
    fn connection_failures_are_told_in_polish_without_the_library_text() {
        let refused = connect_failure("tcp", &Error::from(ErrorKind::ConnectionRefused));
        assert!(refused.contains("odmawia połączenia"), "{refused}");
        let unknown_host = connect_failure(
            "tcp",
            &Error::other("failed to lookup address information: Name or service not known"),
        );
        assert!(
            unknown_host.contains("nie znaleziono serwera"),
            "{unknown_host}"
        );
        let tls = connect_failure(
            "tls",
            &Error::other("invalid peer certificate: UnknownIssuer"),
        );
        assert!(tls.contains("szyfrowanego"), "{tls}");
        for message in [refused, unknown_host, tls] {
            assert!(
                !message.contains("error") && !message.contains("os "),
                "{message}"
            );
        }
    }

    #[test]
    fn reply_codes_are_explained_in_polish() {
        assert!(reply_in_polish("550", true).contains("skrzynka nie istnieje"));
        assert!(reply_in_polish("452", false).contains("ponownie"));
        assert_eq!(reply_in_polish("599", true), "serwer odrzucił wiadomość");
    }
}
