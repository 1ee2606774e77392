//! ISO 3166-1 country codes, the form a partner's `country` takes (`CH`, `US`), with the
//! English short names the site shows. A writer who types a country's name is told its code.
//!
//! The tables were generated once from Debian's `iso-codes` 4.15.0
//! (`/usr/share/iso-codes/json/iso_3166-1.json`): alpha-2 code, alpha-3 code, and the
//! `common_name` where the file has one ("Bolivia"), else its `name`. [`ALIASES`] holds the
//! file's other names that do not contain the short one, and a few names in everyday use
//! ("UK", "Turkey"); they only feed suggestions.

/// (alpha-2, alpha-3, English short name), sorted by alpha-2 code.
pub const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AD", "AND", "Andorra"),
    ("AE", "ARE", "United Arab Emirates"),
    ("AF", "AFG", "Afghanistan"),
    ("AG", "ATG", "Antigua and Barbuda"),
    ("AI", "AIA", "Anguilla"),
    ("AL", "ALB", "Albania"),
    ("AM", "ARM", "Armenia"),
    ("AO", "AGO", "Angola"),
    ("AQ", "ATA", "Antarctica"),
    ("AR", "ARG", "Argentina"),
    ("AS", "ASM", "American Samoa"),
    ("AT", "AUT", "Austria"),
    ("AU", "AUS", "Australia"),
    ("AW", "ABW", "Aruba"),
    ("AX", "ALA", "Åland Islands"),
    ("AZ", "AZE", "Azerbaijan"),
    ("BA", "BIH", "Bosnia and Herzegovina"),
    ("BB", "BRB", "Barbados"),
    ("BD", "BGD", "Bangladesh"),
    ("BE", "BEL", "Belgium"),
    ("BF", "BFA", "Burkina Faso"),
    ("BG", "BGR", "Bulgaria"),
    ("BH", "BHR", "Bahrain"),
    ("BI", "BDI", "Burundi"),
    ("BJ", "BEN", "Benin"),
    ("BL", "BLM", "Saint Barthélemy"),
    ("BM", "BMU", "Bermuda"),
    ("BN", "BRN", "Brunei Darussalam"),
    ("BO", "BOL", "Bolivia"),
    ("BQ", "BES", "Bonaire, Sint Eustatius and Saba"),
    ("BR", "BRA", "Brazil"),
    ("BS", "BHS", "Bahamas"),
    ("BT", "BTN", "Bhutan"),
    ("BV", "BVT", "Bouvet Island"),
    ("BW", "BWA", "Botswana"),
    ("BY", "BLR", "Belarus"),
    ("BZ", "BLZ", "Belize"),
    ("CA", "CAN", "Canada"),
    ("CC", "CCK", "Cocos (Keeling) Islands"),
    ("CD", "COD", "Congo, The Democratic Republic of the"),
    ("CF", "CAF", "Central African Republic"),
    ("CG", "COG", "Congo"),
    ("CH", "CHE", "Switzerland"),
    ("CI", "CIV", "Côte d'Ivoire"),
    ("CK", "COK", "Cook Islands"),
    ("CL", "CHL", "Chile"),
    ("CM", "CMR", "Cameroon"),
    ("CN", "CHN", "China"),
    ("CO", "COL", "Colombia"),
    ("CR", "CRI", "Costa Rica"),
    ("CU", "CUB", "Cuba"),
    ("CV", "CPV", "Cabo Verde"),
    ("CW", "CUW", "Curaçao"),
    ("CX", "CXR", "Christmas Island"),
    ("CY", "CYP", "Cyprus"),
    ("CZ", "CZE", "Czechia"),
    ("DE", "DEU", "Germany"),
    ("DJ", "DJI", "Djibouti"),
    ("DK", "DNK", "Denmark"),
    ("DM", "DMA", "Dominica"),
    ("DO", "DOM", "Dominican Republic"),
    ("DZ", "DZA", "Algeria"),
    ("EC", "ECU", "Ecuador"),
    ("EE", "EST", "Estonia"),
    ("EG", "EGY", "Egypt"),
    ("EH", "ESH", "Western Sahara"),
    ("ER", "ERI", "Eritrea"),
    ("ES", "ESP", "Spain"),
    ("ET", "ETH", "Ethiopia"),
    ("FI", "FIN", "Finland"),
    ("FJ", "FJI", "Fiji"),
    ("FK", "FLK", "Falkland Islands (Malvinas)"),
    ("FM", "FSM", "Micronesia, Federated States of"),
    ("FO", "FRO", "Faroe Islands"),
    ("FR", "FRA", "France"),
    ("GA", "GAB", "Gabon"),
    ("GB", "GBR", "United Kingdom"),
    ("GD", "GRD", "Grenada"),
    ("GE", "GEO", "Georgia"),
    ("GF", "GUF", "French Guiana"),
    ("GG", "GGY", "Guernsey"),
    ("GH", "GHA", "Ghana"),
    ("GI", "GIB", "Gibraltar"),
    ("GL", "GRL", "Greenland"),
    ("GM", "GMB", "Gambia"),
    ("GN", "GIN", "Guinea"),
    ("GP", "GLP", "Guadeloupe"),
    ("GQ", "GNQ", "Equatorial Guinea"),
    ("GR", "GRC", "Greece"),
    ("GS", "SGS", "South Georgia and the South Sandwich Islands"),
    ("GT", "GTM", "Guatemala"),
    ("GU", "GUM", "Guam"),
    ("GW", "GNB", "Guinea-Bissau"),
    ("GY", "GUY", "Guyana"),
    ("HK", "HKG", "Hong Kong"),
    ("HM", "HMD", "Heard Island and McDonald Islands"),
    ("HN", "HND", "Honduras"),
    ("HR", "HRV", "Croatia"),
    ("HT", "HTI", "Haiti"),
    ("HU", "HUN", "Hungary"),
    ("ID", "IDN", "Indonesia"),
    ("IE", "IRL", "Ireland"),
    ("IL", "ISR", "Israel"),
    ("IM", "IMN", "Isle of Man"),
    ("IN", "IND", "India"),
    ("IO", "IOT", "British Indian Ocean Territory"),
    ("IQ", "IRQ", "Iraq"),
    ("IR", "IRN", "Iran"),
    ("IS", "ISL", "Iceland"),
    ("IT", "ITA", "Italy"),
    ("JE", "JEY", "Jersey"),
    ("JM", "JAM", "Jamaica"),
    ("JO", "JOR", "Jordan"),
    ("JP", "JPN", "Japan"),
    ("KE", "KEN", "Kenya"),
    ("KG", "KGZ", "Kyrgyzstan"),
    ("KH", "KHM", "Cambodia"),
    ("KI", "KIR", "Kiribati"),
    ("KM", "COM", "Comoros"),
    ("KN", "KNA", "Saint Kitts and Nevis"),
    ("KP", "PRK", "North Korea"),
    ("KR", "KOR", "South Korea"),
    ("KW", "KWT", "Kuwait"),
    ("KY", "CYM", "Cayman Islands"),
    ("KZ", "KAZ", "Kazakhstan"),
    ("LA", "LAO", "Laos"),
    ("LB", "LBN", "Lebanon"),
    ("LC", "LCA", "Saint Lucia"),
    ("LI", "LIE", "Liechtenstein"),
    ("LK", "LKA", "Sri Lanka"),
    ("LR", "LBR", "Liberia"),
    ("LS", "LSO", "Lesotho"),
    ("LT", "LTU", "Lithuania"),
    ("LU", "LUX", "Luxembourg"),
    ("LV", "LVA", "Latvia"),
    ("LY", "LBY", "Libya"),
    ("MA", "MAR", "Morocco"),
    ("MC", "MCO", "Monaco"),
    ("MD", "MDA", "Moldova"),
    ("ME", "MNE", "Montenegro"),
    ("MF", "MAF", "Saint Martin (French part)"),
    ("MG", "MDG", "Madagascar"),
    ("MH", "MHL", "Marshall Islands"),
    ("MK", "MKD", "North Macedonia"),
    ("ML", "MLI", "Mali"),
    ("MM", "MMR", "Myanmar"),
    ("MN", "MNG", "Mongolia"),
    ("MO", "MAC", "Macao"),
    ("MP", "MNP", "Northern Mariana Islands"),
    ("MQ", "MTQ", "Martinique"),
    ("MR", "MRT", "Mauritania"),
    ("MS", "MSR", "Montserrat"),
    ("MT", "MLT", "Malta"),
    ("MU", "MUS", "Mauritius"),
    ("MV", "MDV", "Maldives"),
    ("MW", "MWI", "Malawi"),
    ("MX", "MEX", "Mexico"),
    ("MY", "MYS", "Malaysia"),
    ("MZ", "MOZ", "Mozambique"),
    ("NA", "NAM", "Namibia"),
    ("NC", "NCL", "New Caledonia"),
    ("NE", "NER", "Niger"),
    ("NF", "NFK", "Norfolk Island"),
    ("NG", "NGA", "Nigeria"),
    ("NI", "NIC", "Nicaragua"),
    ("NL", "NLD", "Netherlands"),
    ("NO", "NOR", "Norway"),
    ("NP", "NPL", "Nepal"),
    ("NR", "NRU", "Nauru"),
    ("NU", "NIU", "Niue"),
    ("NZ", "NZL", "New Zealand"),
    ("OM", "OMN", "Oman"),
    ("PA", "PAN", "Panama"),
    ("PE", "PER", "Peru"),
    ("PF", "PYF", "French Polynesia"),
    ("PG", "PNG", "Papua New Guinea"),
    ("PH", "PHL", "Philippines"),
    ("PK", "PAK", "Pakistan"),
    ("PL", "POL", "Poland"),
    ("PM", "SPM", "Saint Pierre and Miquelon"),
    ("PN", "PCN", "Pitcairn"),
    ("PR", "PRI", "Puerto Rico"),
    ("PS", "PSE", "Palestine, State of"),
    ("PT", "PRT", "Portugal"),
    ("PW", "PLW", "Palau"),
    ("PY", "PRY", "Paraguay"),
    ("QA", "QAT", "Qatar"),
    ("RE", "REU", "Réunion"),
    ("RO", "ROU", "Romania"),
    ("RS", "SRB", "Serbia"),
    ("RU", "RUS", "Russian Federation"),
    ("RW", "RWA", "Rwanda"),
    ("SA", "SAU", "Saudi Arabia"),
    ("SB", "SLB", "Solomon Islands"),
    ("SC", "SYC", "Seychelles"),
    ("SD", "SDN", "Sudan"),
    ("SE", "SWE", "Sweden"),
    ("SG", "SGP", "Singapore"),
    ("SH", "SHN", "Saint Helena, Ascension and Tristan da Cunha"),
    ("SI", "SVN", "Slovenia"),
    ("SJ", "SJM", "Svalbard and Jan Mayen"),
    ("SK", "SVK", "Slovakia"),
    ("SL", "SLE", "Sierra Leone"),
    ("SM", "SMR", "San Marino"),
    ("SN", "SEN", "Senegal"),
    ("SO", "SOM", "Somalia"),
    ("SR", "SUR", "Suriname"),
    ("SS", "SSD", "South Sudan"),
    ("ST", "STP", "Sao Tome and Principe"),
    ("SV", "SLV", "El Salvador"),
    ("SX", "SXM", "Sint Maarten (Dutch part)"),
    ("SY", "SYR", "Syria"),
    ("SZ", "SWZ", "Eswatini"),
    ("TC", "TCA", "Turks and Caicos Islands"),
    ("TD", "TCD", "Chad"),
    ("TF", "ATF", "French Southern Territories"),
    ("TG", "TGO", "Togo"),
    ("TH", "THA", "Thailand"),
    ("TJ", "TJK", "Tajikistan"),
    ("TK", "TKL", "Tokelau"),
    ("TL", "TLS", "Timor-Leste"),
    ("TM", "TKM", "Turkmenistan"),
    ("TN", "TUN", "Tunisia"),
    ("TO", "TON", "Tonga"),
    ("TR", "TUR", "Türkiye"),
    ("TT", "TTO", "Trinidad and Tobago"),
    ("TV", "TUV", "Tuvalu"),
    ("TW", "TWN", "Taiwan"),
    ("TZ", "TZA", "Tanzania"),
    ("UA", "UKR", "Ukraine"),
    ("UG", "UGA", "Uganda"),
    ("UM", "UMI", "United States Minor Outlying Islands"),
    ("US", "USA", "United States"),
    ("UY", "URY", "Uruguay"),
    ("UZ", "UZB", "Uzbekistan"),
    ("VA", "VAT", "Holy See (Vatican City State)"),
    ("VC", "VCT", "Saint Vincent and the Grenadines"),
    ("VE", "VEN", "Venezuela"),
    ("VG", "VGB", "Virgin Islands, British"),
    ("VI", "VIR", "Virgin Islands, U.S."),
    ("VN", "VNM", "Vietnam"),
    ("VU", "VUT", "Vanuatu"),
    ("WF", "WLF", "Wallis and Futuna"),
    ("WS", "WSM", "Samoa"),
    ("YE", "YEM", "Yemen"),
    ("YT", "MYT", "Mayotte"),
    ("ZA", "ZAF", "South Africa"),
    ("ZM", "ZMB", "Zambia"),
    ("ZW", "ZWE", "Zimbabwe"),
];

/// Other names of a country (alpha-2, name), for suggestions only.
const ALIASES: &[(&str, &str)] = &[
    ("AR", "Argentine Republic"),
    ("BN", "Brunei"),
    ("CD", "DR Congo"),
    ("CD", "Democratic Republic of the Congo"),
    ("CH", "Swiss Confederation"),
    ("CI", "Ivory Coast"),
    ("CV", "Cape Verde"),
    ("CZ", "Czech Republic"),
    ("FM", "Federated States of Micronesia"),
    ("FR", "French Republic"),
    ("GB", "Britain"),
    ("GB", "Great Britain"),
    ("GB", "UK"),
    ("GR", "Hellenic Republic"),
    ("IT", "Italian Republic"),
    ("KG", "Kyrgyz Republic"),
    ("KP", "Democratic People's Republic of Korea"),
    ("KP", "Korea, Democratic People's Republic of"),
    ("KR", "Korea"),
    ("KR", "Korea, Republic of"),
    ("LA", "Lao People's Democratic Republic"),
    ("LB", "Lebanese Republic"),
    ("MK", "Macedonia"),
    ("MM", "Burma"),
    ("MX", "United Mexican States"),
    ("NL", "Holland"),
    ("PS", "Palestine"),
    ("PS", "the State of Palestine"),
    ("PT", "Portuguese Republic"),
    ("RU", "Russia"),
    ("RW", "Rwandese Republic"),
    ("SK", "Slovak Republic"),
    ("SZ", "Swaziland"),
    ("TR", "Turkey"),
    ("US", "America"),
    ("US", "United States of America"),
    ("VA", "Vatican"),
    ("VG", "British Virgin Islands"),
    ("VI", "Virgin Islands of the United States"),
];

/// The English short name of an ISO 3166-1 alpha-2 code (`CH` → Switzerland).
pub fn name(code: &str) -> Option<&'static str> {
    COUNTRIES
        .binary_search_by(|(c, _, _)| (*c).cmp(code))
        .ok()
        .map(|i| COUNTRIES[i].2)
}

/// The code a writer probably meant by `text`, which is not one: a name ("Switzerland",
/// "switzerland", "Swizerland"), an alpha-3 code (`CHE`) or a code in small letters (`ch`).
pub fn suggest(text: &str) -> Option<&'static str> {
    let want = fold(text);
    if want.is_empty() {
        return None;
    }
    let names = || {
        COUNTRIES
            .iter()
            .map(|(c, _, n)| (*c, *n))
            .chain(ALIASES.iter().copied())
    };
    let exact = COUNTRIES
        .iter()
        .find(|(c, a3, _)| fold(c) == want || fold(a3) == want)
        .map(|(c, _, _)| *c)
        .or_else(|| names().find(|(_, n)| fold(n) == want).map(|(c, _)| c));
    if exact.is_some() {
        return exact;
    }
    // A misspelt name: the closest, if it is close.
    let (score, code) = names()
        .map(|(c, n)| (strsim::jaro_winkler(&want, &fold(n)), c))
        .fold(
            (0.0, None),
            |best, (s, c)| {
                if s > best.0 { (s, Some(c)) } else { best }
            },
        );
    if score >= 0.9 {
        return code;
    }
    // Part of a name ("Micronesia"), when only one country has it.
    if want.len() >= 4 {
        let mut hits = names()
            .filter(|(_, n)| fold(n).contains(&want))
            .map(|(c, _)| c);
        if let Some(first) = hits.next()
            && hits.all(|c| c == first)
        {
            return Some(first);
        }
    }
    None
}

/// Why `text` is not a country code, in words for a writer, or None when it is one.
pub fn problem(text: &str) -> Option<String> {
    if name(text).is_some() {
        return None;
    }
    let suggestion = suggest(text);
    let (example, example_name) = suggestion
        .and_then(|c| Some((c, name(c)?)))
        .unwrap_or(("CH", "Switzerland"));
    let mut msg =
        format!("must be a two-letter ISO 3166 code such as `{example}` for {example_name}");
    match suggestion {
        Some(code) => msg.push_str(&format!("; did you mean `{code}`?")),
        None => msg.push_str(&format!(
            "; `{}` is not one (the codes are listed at https://www.iso.org/obp/ui/#search/code/)",
            text.trim()
        )),
    }
    Some(msg)
}

/// Lower-case letters and digits only, accents dropped where they are common in names.
fn fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'à'..='å' | 'À'..='Å' => Some('a'),
            'ç' | 'Ç' => Some('c'),
            'è'..='ë' | 'È'..='Ë' => Some('e'),
            'ì'..='ï' | 'Ì'..='Ï' => Some('i'),
            'ñ' | 'Ñ' => Some('n'),
            'ò'..='ö' | 'Ò'..='Ö' => Some('o'),
            'ù'..='ü' | 'Ù'..='Ü' => Some('u'),
            c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_sorted_and_complete() {
        assert!(COUNTRIES.windows(2).all(|w| w[0].0 < w[1].0));
        assert_eq!(COUNTRIES.len(), 249);
        assert!(ALIASES.iter().all(|(c, _)| name(c).is_some()));
        assert_eq!(name("CH"), Some("Switzerland"));
        assert_eq!(name("US"), Some("United States"));
        assert_eq!(name("BO"), Some("Bolivia"));
        assert_eq!(name("ch"), None);
        assert_eq!(name("XX"), None);
    }

    #[test]
    fn names_and_near_misses_suggest_a_code() {
        for (text, code) in [
            ("Switzerland", "CH"),
            ("switzerland", "CH"),
            ("Swizerland", "CH"),
            ("United States", "US"),
            ("USA", "US"),
            ("UK", "GB"),
            ("United Kingdom", "GB"),
            ("ch", "CH"),
            ("Costa Rica", "CR"),
            ("Cote d'Ivoire", "CI"),
            ("Turkey", "TR"),
            ("Viet Nam", "VN"),
            ("Micronesia", "FM"),
        ] {
            assert_eq!(suggest(text), Some(code), "{text}");
        }
        assert_eq!(suggest("Atlantis"), None);
        assert_eq!(suggest(""), None);
    }

    #[test]
    fn the_problem_names_the_code_to_write() {
        assert_eq!(problem("CH"), None);
        assert_eq!(
            problem("Switzerland").unwrap(),
            "must be a two-letter ISO 3166 code such as `CH` for Switzerland; did you mean `CH`?"
        );
        assert_eq!(
            problem("United States").unwrap(),
            "must be a two-letter ISO 3166 code such as `US` for United States; did you mean `US`?"
        );
        let none = problem("Atlantis").unwrap();
        assert!(none.starts_with("must be a two-letter ISO 3166 code such as `CH` for Switzerland; `Atlantis` is not one"), "{none}");
    }
}
