//! Calendar dates in front matter: full dates for stories, partial ones (`2016`, `2016-09`) for
//! documents whose exact day is not known. Impossible dates (`2023-02-30`) are errors. Dates
//! are shown in a page's language with CLDR's month names and order ([`PartialDate::format`]).

use std::fmt;
use std::sync::{Arc, OnceLock, RwLock};

use icu_calendar::Gregorian;
use icu_datetime::unchecked::DateTimeInputUnchecked;
use icu_datetime::{FixedCalendarDateTimeFormatter, fieldsets};
use rustc_hash::FxHashMap as HashMap;
use writeable::TryWriteable;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A date that may lack its month or day. Orders as the earliest day it could be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: i16,
    pub month: Option<i8>,
    pub day: Option<i8>,
}

/// A full date, `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub jiff::civil::Date);

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    pub fn parse(s: &str) -> Result<PartialDate, String> {
        let s = s.trim();
        let parts: Vec<&str> = s.split('-').collect();
        let bad =
            || format!("`{s}` is not a date: write YYYY-MM-DD (e.g. 2016-09-19), YYYY-MM or YYYY");
        let num = |p: &str, len: usize| -> Result<i32, String> {
            if p.len() != len || !p.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad());
            }
            p.parse::<i32>().map_err(|_| bad())
        };
        match parts.as_slice() {
            [y] => Ok(PartialDate {
                year: year(num(y, 4)?)?,
                month: None,
                day: None,
            }),
            [y, m] => {
                let (y, m) = (num(y, 4)?, num(m, 2)?);
                if !(1..=12).contains(&m) {
                    return Err(format!("`{s}` has no month {m}: months go from 01 to 12"));
                }
                Ok(PartialDate {
                    year: year(y)?,
                    month: Some(m as i8),
                    day: None,
                })
            }
            [_, _, _] => {
                let d = Date::parse(s)?;
                Ok(PartialDate {
                    year: d.0.year(),
                    month: Some(d.0.month()),
                    day: Some(d.0.day()),
                })
            }
            _ => Err(bad()),
        }
    }

    /// `19 September 2016`, `September 2016` or `2016`.
    pub fn display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {} {}", MONTHS[(m - 1) as usize], self.year),
            (Some(m), None) => format!("{} {}", MONTHS[(m - 1) as usize], self.year),
            _ => self.year.to_string(),
        }
    }
}

/// How much of a date a page shows; the date's own precision decides the rest (a year alone
/// is always just the year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// `19 September 2016`, `September 2016`: what lists and pages show.
    Long,
    /// `19 Sept 2016`: for tight places (tables, cards).
    Medium,
    /// `Monday, 19 September 2016`: the weekday too.
    Full,
}

impl DateStyle {
    /// The style a template names: `long`, `medium` or `full`.
    pub fn parse(name: &str) -> Option<DateStyle> {
        match name {
            "long" => Some(DateStyle::Long),
            "medium" => Some(DateStyle::Medium),
            "full" => Some(DateStyle::Full),
            _ => None,
        }
    }
}

type Fmt<F> = FixedCalendarDateTimeFormatter<Gregorian, F>;

/// One language's date formatters. Made once per language and process: each reads its
/// patterns and names out of ICU4X's compiled data, which costs far more than a format.
struct LangDates {
    long: Fmt<fieldsets::YMD>,
    medium: Fmt<fieldsets::YMD>,
    full: Fmt<fieldsets::YMDE>,
    month: Fmt<fieldsets::YM>,
    year: Fmt<fieldsets::Y>,
}

impl LangDates {
    fn new(lang: &str) -> Option<LangDates> {
        let locale = date_locale(lang);
        let prefs = || locale.clone().into();
        Some(LangDates {
            long: Fmt::try_new(prefs(), fieldsets::YMD::long()).ok()?,
            medium: Fmt::try_new(prefs(), fieldsets::YMD::medium()).ok()?,
            full: Fmt::try_new(prefs(), fieldsets::YMDE::long()).ok()?,
            month: Fmt::try_new(prefs(), fieldsets::YM::long()).ok()?,
            year: Fmt::try_new(prefs(), fieldsets::Y::long()).ok()?,
        })
    }

    /// The formatters of `lang`, made on first use.
    fn of(lang: &str) -> Option<Arc<LangDates>> {
        static ALL: OnceLock<RwLock<HashMap<String, Option<Arc<LangDates>>>>> = OnceLock::new();
        let all = ALL.get_or_init(Default::default);
        if let Some(found) = all.read().ok().and_then(|m| m.get(lang).cloned()) {
            return found;
        }
        let made = LangDates::new(lang).map(Arc::new);
        if let Ok(mut m) = all.write() {
            m.insert(lang.to_string(), made.clone());
        }
        made
    }
}

/// The locale whose CLDR data formats dates for a language code. Plain `en` is CLDR's
/// United States English (`September 19, 2016`); the campaign writes international English
/// (`19 September 2016`, as the UN does), so `en` means `en-001`. `en-US` still gives the
/// American order. A code ICU cannot read falls back to the same international English.
fn date_locale(lang: &str) -> icu_locale_core::Locale {
    let code = if lang.eq_ignore_ascii_case("en") {
        "en-001"
    } else {
        lang
    };
    code.parse().unwrap_or(icu_locale_core::locale!("en-001"))
}

impl PartialDate {
    /// The date as a reader of `lang` (a BCP 47 code: `en`, `es`, `fr`, `ar`) expects it:
    /// `19 de septiembre de 2016`, `septembre 2016`, `2016`. Falls back to [`display`]
    /// (English) if ICU has no formatter for the language.
    ///
    /// [`display`]: PartialDate::display
    pub fn format(&self, lang: &str, style: DateStyle) -> String {
        let Some(f) = LangDates::of(lang) else {
            return self.display();
        };
        let m = self.month.unwrap_or(1) as u8;
        let Ok(d) =
            icu_calendar::Date::try_new_gregorian(self.year.into(), m, self.day.unwrap_or(1) as u8)
        else {
            return self.display();
        };
        let mut input = DateTimeInputUnchecked::default();
        input.set_date_fields_unchecked(d);
        // `format` debug-panics (and in release writes nothing) where ICU4X's data has a gap,
        // as for Portuguese month and year; the checked write reports it instead, and the
        // date is then written in English rather than half-written.
        let written = match (self.month, self.day, style) {
            (Some(_), Some(_), DateStyle::Long) => f
                .long
                .format_unchecked(input)
                .try_write_to_string()
                .map(|t| t.into_owned())
                .map_err(|(e, _)| e),
            (Some(_), Some(_), DateStyle::Medium) => f
                .medium
                .format_unchecked(input)
                .try_write_to_string()
                .map(|t| t.into_owned())
                .map_err(|(e, _)| e),
            (Some(_), Some(_), DateStyle::Full) => f
                .full
                .format_unchecked(input)
                .try_write_to_string()
                .map(|t| t.into_owned())
                .map_err(|(e, _)| e),
            (Some(_), None, _) => f
                .month
                .format_unchecked(input)
                .try_write_to_string()
                .map(|t| t.into_owned())
                .map_err(|(e, _)| e),
            _ => f
                .year
                .format_unchecked(input)
                .try_write_to_string()
                .map(|t| t.into_owned())
                .map_err(|(e, _)| e),
        };
        match written {
            Ok(text) => text,
            Err(_) => self.display(),
        }
    }
}

impl Date {
    /// [`PartialDate::format`] for a full date.
    pub fn format(&self, lang: &str, style: DateStyle) -> String {
        PartialDate::from(*self).format(lang, style)
    }
}

impl From<Date> for PartialDate {
    fn from(d: Date) -> PartialDate {
        PartialDate {
            year: d.0.year(),
            month: Some(d.0.month()),
            day: Some(d.0.day()),
        }
    }
}

fn year(y: i32) -> Result<i16, String> {
    if (1000..=9999).contains(&y) {
        Ok(y as i16)
    } else {
        Err(format!("{y} is not a plausible year"))
    }
}

impl PartialDate {
    /// The first day the date may mean, `YYYY-MM-DD`: `2014` is 2014-01-01, `2014-12` is
    /// 2014-12-01. For feeds and sitemaps, which need a full date: the first day is never
    /// later than the real one, so a document is never dated after it was adopted, nor
    /// (in the current year or month) in the future.
    pub fn first_day(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let s = s.trim();
        let shape_ok = s.len() == 10
            && s.bytes().enumerate().all(|(i, b)| {
                if i == 4 || i == 7 {
                    b == b'-'
                } else {
                    b.is_ascii_digit()
                }
            });
        if !shape_ok {
            return Err(format!(
                "`{s}` is not a date: write it as YYYY-MM-DD, e.g. 2016-09-19"
            ));
        }
        s.parse::<jiff::civil::Date>()
            .map(Date)
            .map_err(|_| format!("`{s}` is not a day that exists in the calendar"))
    }

    pub fn display(&self) -> String {
        format!(
            "{} {} {}",
            self.0.day(),
            MONTHS[(self.0.month() - 1) as usize],
            self.0.year()
        )
    }

    /// Today in the local time zone (UTC if it is unknown).
    pub fn today() -> Date {
        Date(jiff::Zoned::now().date())
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

struct DateVisitor<const PARTIAL: bool>;

impl<const PARTIAL: bool> Visitor<'_> for DateVisitor<PARTIAL> {
    type Value = PartialDate;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(if PARTIAL {
            "a date (YYYY-MM-DD, YYYY-MM or YYYY)"
        } else {
            "a date (YYYY-MM-DD)"
        })
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
        if PARTIAL {
            PartialDate::parse(v).map_err(E::custom)
        } else {
            let d = Date::parse(v).map_err(E::custom)?;
            Ok(PartialDate {
                year: d.0.year(),
                month: Some(d.0.month()),
                day: Some(d.0.day()),
            })
        }
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
        if PARTIAL {
            self.visit_str(&v.to_string())
        } else {
            Err(E::custom(format!(
                "`{v}` is not a full date: write it as YYYY-MM-DD, e.g. {v}-01-31"
            )))
        }
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
        self.visit_str(&v.to_string())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DateVisitor::<true>)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let p = d.deserialize_any(DateVisitor::<false>)?;
        jiff::civil::Date::new(p.year, p.month.unwrap_or(1), p.day.unwrap_or(1))
            .map(Date)
            .map_err(de::Error::custom)
    }
}

impl Serialize for PartialDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Forms see a full date as an HTML date.
impl schemars::JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date",
            "description": "A date, YYYY-MM-DD."
        })
    }
}

/// A partial date is a year, a year and month, or a full date.
impl schemars::JsonSchema for PartialDate {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PartialDate".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": ["string", "integer"],
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$",
            "x-rally-partial-date": true,
            "description": "A year (2016), a month (2016-09) or a day (2016-09-19)."
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_and_order() {
        let y = PartialDate::parse("2016").unwrap();
        let ym = PartialDate::parse("2016-09").unwrap();
        let ymd = PartialDate::parse("2016-09-19").unwrap();
        assert!(y < ym && ym < ymd);
        assert_eq!(ymd.to_string(), "2016-09-19");
        assert_eq!(ymd.display(), "19 September 2016");
        assert_eq!(ym.display(), "September 2016");
        assert_eq!(y.first_day(), "2016-01-01");
        assert_eq!(ym.first_day(), "2016-09-01");
        assert_eq!(ymd.first_day(), "2016-09-19");
    }

    #[test]
    fn impossible_dates_are_rejected() {
        assert!(Date::parse("2023-02-30").unwrap_err().contains("exists"));
        assert!(Date::parse("2023-13-01").is_err());
        assert!(
            Date::parse("19/09/2016")
                .unwrap_err()
                .contains("YYYY-MM-DD")
        );
        assert!(PartialDate::parse("2016-13").is_err());
    }

    #[test]
    fn yaml_numbers_work_as_years() {
        let d: PartialDate = serde_yaml::from_str("2014").unwrap();
        assert_eq!(d.year, 2014);
        assert!(serde_yaml::from_str::<Date>("2014").is_err());
        let d: Date = serde_yaml::from_str("2014-06-04").unwrap();
        assert_eq!(d.display(), "4 June 2014");
    }

    #[test]
    fn dates_in_each_language() {
        let day = PartialDate::parse("2016-09-19").unwrap();
        let month = PartialDate::parse("2016-09").unwrap();
        let year = PartialDate::parse("2016").unwrap();
        let long = DateStyle::Long;
        // English keeps the international order the site always had.
        assert_eq!(day.format("en", long), "19 September 2016");
        assert_eq!(day.format("en", long), day.display());
        assert_eq!(month.format("en", long), "September 2016");
        assert_eq!(year.format("en", long), "2016");
        assert_eq!(day.format("en", DateStyle::Medium), "19 Sept 2016");
        assert_eq!(
            day.format("en", DateStyle::Full),
            "Monday, 19 September 2016"
        );
        assert_eq!(day.format("en-US", long), "September 19, 2016");

        assert_eq!(day.format("es", long), "19 de septiembre de 2016");
        assert_eq!(month.format("es", long), "septiembre de 2016");
        assert_eq!(year.format("es", long), "2016");
        assert_eq!(
            day.format("es", DateStyle::Full),
            "lunes, 19 de septiembre de 2016"
        );

        assert_eq!(day.format("fr", long), "19 septembre 2016");
        assert_eq!(month.format("fr", long), "septembre 2016");
        assert_eq!(day.format("fr", DateStyle::Medium), "19 sept. 2016");
        assert_eq!(day.format("fr", DateStyle::Full), "lundi 19 septembre 2016");

        assert_eq!(day.format("ar", long), "19 سبتمبر 2016");
        assert_eq!(month.format("ar", long), "سبتمبر 2016");
        assert_eq!(year.format("ar", long), "2016");
        assert_eq!(day.format("ar", DateStyle::Full), "الاثنين، 19 سبتمبر 2016");
        // A year alone is the year whatever the style.
        assert_eq!(year.format("fr", DateStyle::Full), "2016");
    }

    #[test]
    fn odd_language_codes_still_give_a_date() {
        let day = PartialDate::parse("2016-09-19").unwrap();
        assert_eq!(
            day.format("not a code!", DateStyle::Long),
            "19 September 2016"
        );
        assert!(!day.format("zz", DateStyle::Long).is_empty());
        let d = Date::parse("2014-06-04").unwrap();
        assert_eq!(d.format("es", DateStyle::Long), "4 de junio de 2014");
        // ICU4X 2.4 has no number formatting for Portuguese month and year: no panic, and
        // never a date without its year.
        let month = PartialDate::parse("2016-09").unwrap();
        assert!(month.format("pt-BR", DateStyle::Long).contains("2016"));
        assert_eq!(
            day.format("pt-BR", DateStyle::Long),
            "19 de setembro de 2016"
        );
    }
}
