use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A point in time, in milliseconds since the Unix epoch, UTC. On the wire it is an RFC 3339
/// string with milliseconds (`2026-11-29T10:01:44.123Z`); in the database, the integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Milliseconds since the Unix epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// This time plus `millis` milliseconds.
    pub const fn plus_millis(self, millis: i64) -> Timestamp {
        Timestamp(self.0 + millis)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

impl Timestamp {
    /// The RFC 3339 form written digit by digit (a page of users holds hundreds of times, and
    /// `write!` through serde's `collect_str` escapes piece by piece); `None` for years outside
    /// 0 to 9999, which need a sign or a fifth digit.
    fn rfc3339(self) -> Option<[u8; 24]> {
        let days = self.0.div_euclid(86_400_000);
        let ms_of_day = self.0.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        if !(0..=9999).contains(&year) {
            return None;
        }
        let mut text = *b"0000-00-00T00:00:00.000Z";
        let fields = [
            (0, 4, year),
            (5, 2, month),
            (8, 2, day),
            (11, 2, ms_of_day / 3_600_000),
            (14, 2, ms_of_day / 60_000 % 60),
            (17, 2, ms_of_day / 1000 % 60),
            (20, 3, ms_of_day % 1000),
        ];
        for (at, width, mut value) in fields {
            for digit in text[at..at + width].iter_mut().rev() {
                *digit = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        Some(text)
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(text) = self.rfc3339() {
            return f.write_str(std::str::from_utf8(&text).expect("ASCII digits and separators"));
        }
        let days = self.0.div_euclid(86_400_000);
        let ms_of_day = self.0.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let (h, m, s, ms) = (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
        write!(f, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z")
    }
}

/// A string that is not an RFC 3339 UTC time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimestampError(pub String);

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is not a UTC time like 2026-11-29T10:01:44.123Z", self.0)
    }
}

impl std::error::Error for ParseTimestampError {}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let fail = || ParseTimestampError(text.to_owned());
        let body = text.strip_suffix('Z').ok_or_else(fail)?;
        let (date, time) = body.split_once('T').ok_or_else(fail)?;
        let number = |part: &str| -> Result<i64, ParseTimestampError> {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fail());
            }
            part.parse().map_err(|_| fail())
        };
        let mut date_parts = date.split('-');
        let (year, month, day) = match (date_parts.next(), date_parts.next(), date_parts.next(), date_parts.next()) {
            (Some(y), Some(m), Some(d), None) => (number(y)?, number(m)?, number(d)?),
            _ => return Err(fail()),
        };
        let (clock, fraction) = time.split_once('.').unwrap_or((time, "0"));
        let mut clock_parts = clock.split(':');
        let (h, m, s) = match (clock_parts.next(), clock_parts.next(), clock_parts.next(), clock_parts.next()) {
            (Some(h), Some(m), Some(s), None) => (number(h)?, number(m)?, number(s)?),
            _ => return Err(fail()),
        };
        let fraction_digits: String = fraction.chars().chain("000".chars()).take(3).collect();
        let ms = number(&fraction_digits)?;
        number(fraction)?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) || h > 23 || m > 59 || s > 60 {
            return Err(fail());
        }
        let days = days_from_civil(year, month, day);
        Ok(Timestamp(days * 86_400_000 + h * 3_600_000 + m * 60_000 + s * 1000 + ms))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.rfc3339() {
            Some(text) => serializer.serialize_str(std::str::from_utf8(&text).expect("ASCII digits and separators")),
            None => serializer.collect_str(self),
        }
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_epoch_and_a_known_date_format_as_rfc_3339() {
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00.000Z");
        assert_eq!(Timestamp(1_795_946_504_123).to_string(), "2026-11-29T10:01:44.123Z");
        assert_eq!(Timestamp(951_782_400_000).to_string(), "2000-02-29T00:00:00.000Z");
    }

    #[test]
    fn a_year_beyond_four_digits_formats_with_a_fifth_digit() {
        assert_eq!(Timestamp(253_402_300_800_000).to_string(), "10000-01-01T00:00:00.000Z");
        assert_eq!(serde_json::to_string(&Timestamp(253_402_300_800_000)).unwrap(), r#""10000-01-01T00:00:00.000Z""#);
    }

    #[test]
    fn formatting_and_parsing_round_trip_across_centuries() {
        let mut t = -2_208_988_800_000_i64; // 1900
        while t < 7_258_118_400_000 {
            let stamp = Timestamp(t);
            assert_eq!(stamp.to_string().parse::<Timestamp>(), Ok(stamp));
            t += 86_399_937;
        }
    }

    #[test]
    fn seconds_without_a_fraction_parse_and_garbage_does_not() {
        assert_eq!("1970-01-01T00:00:01Z".parse::<Timestamp>(), Ok(Timestamp(1000)));
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-29 10:01:44Z",
            "2026-11-29T10:01:44",
            "2026-11-29T10:01:44.1x2Z",
        ] {
            assert!(bad.parse::<Timestamp>().is_err(), "{bad}");
        }
    }

    #[test]
    fn serializes_as_a_string() {
        assert_eq!(serde_json::to_string(&Timestamp(0)).unwrap(), r#""1970-01-01T00:00:00.000Z""#);
        assert_eq!(serde_json::from_str::<Timestamp>(r#""1970-01-01T00:00:00.000Z""#).unwrap(), Timestamp(0));
    }
}
