//! What is kept about one schema id or subject-version: per kind of
//! request, when it was first and last seen and how often, and the last
//! few distinct clients. Times are milliseconds since the Unix epoch.

use serde::{Deserialize, Serialize};

/// Distinct clients kept per entry; the one seen longest ago goes first.
/// Serializers cache ids per process, so a client appears about once per
/// process start: this is who was seen last, not who generates traffic.
pub const CLIENTS_KEPT: usize = 8;

/// Longest client name kept; headers are truncated to it.
const CLIENT_NAME_BYTES: usize = 128;

/// The kinds of request that count as use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// Read by id or by subject-version.
    Fetched,
    /// Found by `POST /subjects/{s}` (what serializers ask before writing).
    LookedUp,
    /// Registered, or registered again (an answer with the existing id).
    Registered,
}

/// Who made a request: its client header and, with auth on, the
/// principal's name. Never a credential.
#[derive(Clone, Copy, Debug, Default)]
pub struct Caller<'a> {
    pub client: Option<&'a str>,
    pub principal: Option<&'a str>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    pub first: u64,
    pub last: u64,
    pub count: u64,
}

impl Tally {
    fn seen(tally: &mut Option<Tally>, now: u64) {
        let tally = tally.get_or_insert(Tally {
            first: now,
            last: now,
            count: 0,
        });
        tally.last = tally.last.max(now);
        tally.count += 1;
    }

    /// Both tallies as one.
    fn merged(a: Option<Tally>, b: Option<Tally>) -> Option<Tally> {
        match (a, b) {
            (Some(a), Some(b)) => Some(Tally {
                first: a.first.min(b.first),
                last: a.last.max(b.last),
                count: a.count + b.count,
            }),
            (a, b) => a.or(b),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Client {
    pub client: Option<String>,
    pub principal: Option<String>,
    pub last_seen: u64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Figures {
    pub fetched: Option<Tally>,
    pub looked_up: Option<Tally>,
    pub registered: Option<Tally>,
    pub clients: Vec<Client>,
}

impl Figures {
    pub fn seen(&mut self, event: Event, caller: &Caller, now: u64) {
        let tally = match event {
            Event::Fetched => &mut self.fetched,
            Event::LookedUp => &mut self.looked_up,
            Event::Registered => &mut self.registered,
        };
        Tally::seen(tally, now);
        let client = caller.client.map(truncated);
        let known = self
            .clients
            .iter_mut()
            .find(|c| c.client.as_deref() == client && c.principal.as_deref() == caller.principal);
        match known {
            Some(known) => known.last_seen = known.last_seen.max(now),
            None => self.keep_client(Client {
                client: client.map(str::to_owned),
                principal: caller.principal.map(str::to_owned),
                last_seen: now,
            }),
        }
    }

    fn keep_client(&mut self, client: Client) {
        self.clients.push(client);
        if self.clients.len() > CLIENTS_KEPT {
            self.clients.sort_by_key(|c| std::cmp::Reverse(c.last_seen));
            self.clients.truncate(CLIENTS_KEPT);
        }
    }

    /// The last time anything was seen.
    pub fn last_seen(&self) -> Option<u64> {
        [self.fetched, self.looked_up, self.registered]
            .iter()
            .flatten()
            .map(|t| t.last)
            .max()
    }

    /// Adds what `other` saw (the stored figures, loaded while uses were
    /// already being recorded).
    pub fn merge(&mut self, other: Figures) {
        self.fetched = Tally::merged(self.fetched, other.fetched);
        self.looked_up = Tally::merged(self.looked_up, other.looked_up);
        self.registered = Tally::merged(self.registered, other.registered);
        for client in other.clients {
            let known = self
                .clients
                .iter_mut()
                .find(|c| c.client == client.client && c.principal == client.principal);
            match known {
                Some(known) => known.last_seen = known.last_seen.max(client.last_seen),
                None => self.keep_client(client),
            }
        }
    }
}

/// `name` cut to [`CLIENT_NAME_BYTES`] on a character boundary.
fn truncated(name: &str) -> &str {
    if name.len() <= CLIENT_NAME_BYTES {
        return name;
    }
    let mut end = CLIENT_NAME_BYTES;
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    &name[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(client: &str) -> Caller<'_> {
        Caller {
            client: Some(client),
            principal: None,
        }
    }

    #[test]
    fn tallies_count_and_keep_first_and_last() {
        let mut figures = Figures::default();
        figures.seen(Event::Fetched, &caller("a"), 10);
        figures.seen(Event::Fetched, &caller("a"), 20);
        figures.seen(Event::LookedUp, &caller("a"), 15);
        let fetched = figures.fetched.expect("fetched");
        assert_eq!((fetched.first, fetched.last, fetched.count), (10, 20, 2));
        assert_eq!(figures.looked_up.map(|t| t.count), Some(1));
        assert_eq!(figures.registered, None);
        assert_eq!(figures.last_seen(), Some(20));
        assert_eq!(figures.clients.len(), 1);
    }

    #[test]
    fn only_the_most_recent_clients_are_kept() {
        let mut figures = Figures::default();
        let names: Vec<String> = (0..CLIENTS_KEPT + 3).map(|n| format!("c{n}")).collect();
        for (at, name) in names.iter().enumerate() {
            figures.seen(Event::Fetched, &caller(name), at as u64);
        }
        assert_eq!(figures.clients.len(), CLIENTS_KEPT);
        assert!(!figures
            .clients
            .iter()
            .any(|c| c.client.as_deref() == Some("c0")));
        assert!(figures
            .clients
            .iter()
            .any(|c| c.client.as_deref() == Some("c10")));
    }

    #[test]
    fn merging_adds_counts_widens_the_span_and_joins_the_clients() {
        let mut a = Figures::default();
        a.seen(Event::Fetched, &caller("x"), 10);
        let mut b = Figures::default();
        b.seen(Event::Fetched, &caller("x"), 5);
        b.seen(Event::Registered, &caller("y"), 30);
        a.merge(b);
        let fetched = a.fetched.expect("fetched");
        assert_eq!((fetched.first, fetched.last, fetched.count), (5, 10, 2));
        assert_eq!(a.registered.map(|t| t.count), Some(1));
        assert_eq!(a.clients.len(), 2);
        assert_eq!(a.last_seen(), Some(30));
    }

    #[test]
    fn long_client_names_are_cut_on_a_character_boundary() {
        let mut figures = Figures::default();
        let long = "é".repeat(CLIENT_NAME_BYTES);
        figures.seen(Event::Fetched, &caller(&long), 1);
        let kept = figures.clients[0].client.as_deref().expect("a client");
        assert!(kept.len() <= CLIENT_NAME_BYTES && long.starts_with(kept));
    }
}
