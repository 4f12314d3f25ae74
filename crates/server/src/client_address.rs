//! The client's address for per-address limits. Behind a reverse proxy every connection comes
//! from the proxy, so the proxies named by `--trusted-proxies` are looked through: the client is
//! the right-most `X-Forwarded-For` entry that is not a trusted proxy (entries further left are
//! whatever the client chose to send, and cannot be believed).

use std::net::IpAddr;

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The address limits count `peer`'s request against.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for entry in forwarded.iter().rev() {
        // A trusted proxy wrote this entry: its peer. Unreadable means it is no address we
        // can count, so the last trusted hop stands for it.
        let Ok(ip) = entry.parse::<IpAddr>() else {
            return client;
        };
        client = ip;
        if !is_trusted(&ip) {
            return ip;
        }
    }
    client
}

/// `10.0.0.0/8`, or a single address (`192.0.2.7`, `::1`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    let text = text.trim();
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is neither an address nor a CIDR range like 10.0.0.0/8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &[&str]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for value in forwarded {
            headers.append("x-forwarded-for", value.parse().unwrap());
        }
        headers
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_it_claims() {
        assert_eq!(client_address(ip("127.0.0.1"), &headers(&["203.0.113.9"]), &[]), ip("127.0.0.1"));
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_entry_is_the_client() {
        let trusted = [parse_trusted_proxy("10.0.0.0/8").unwrap(), parse_trusted_proxy("127.0.0.1").unwrap()];
        let peer = ip("127.0.0.1");
        assert_eq!(client_address(peer, &headers(&["198.51.100.1, 203.0.113.9"]), &trusted), ip("203.0.113.9"));
        assert_eq!(
            client_address(peer, &headers(&["spoofed, 203.0.113.9", "10.1.2.3"]), &trusted),
            ip("203.0.113.9"),
            "a chain of trusted proxies is looked through, the client's own entries are not believed"
        );
        assert_eq!(client_address(peer, &headers(&[]), &trusted), peer);
        assert_eq!(client_address(peer, &headers(&["10.1.2.3"]), &trusted), ip("10.1.2.3"));
        assert_eq!(client_address(peer, &headers(&["garbage"]), &trusted), peer);
        assert_eq!(client_address(ip("192.0.2.1"), &headers(&["203.0.113.9"]), &trusted), ip("192.0.2.1"));
    }

    #[test]
    fn trusted_proxies_are_ranges_or_single_addresses() {
        assert!(parse_trusted_proxy("::1").unwrap().contains(&ip("::1")));
        assert!(parse_trusted_proxy("fd00::/8").unwrap().contains(&ip("fd12::1")));
        assert!(parse_trusted_proxy("proxy.local").is_err());
    }
}
