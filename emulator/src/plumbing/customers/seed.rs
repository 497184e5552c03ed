//! Deterministic test data: customers with realistic names and unique domains, and the billing
//! profile each starts with. The same seed always gives the same data.

use serde_json::{Map, Value, json};
use uuid::{Builder, Uuid};

use crate::plumbing::customers::customer::{Customer, Relationship};

/// Company-name stems (Microsoft's fictitious companies and a few more).
const STEMS: &[&str] = &[
    "Fabrikam",
    "Contoso",
    "Northwind Traders",
    "Adventure Works",
    "Tailspin Toys",
    "Wingtip Toys",
    "Litware",
    "Proseware",
    "Lucerne Publishing",
    "Margie's Travel",
    "Alpine Ski House",
    "Coho Winery",
    "Woodgrove Bank",
    "Fourth Coffee",
    "Wide World Importers",
    "Blue Yonder Airlines",
    "Trey Research",
    "Graphic Design Institute",
    "Humongous Insurance",
    "Relecloud",
    "Southridge Video",
    "City Power & Light",
    "Consolidated Messenger",
    "VanArsdel",
];

/// Legal-form suffixes.
const SUFFIXES: &[&str] = &[
    "Ltd", "Inc", "GmbH", "LLC", "SA", "BV", "Pty Ltd", "AB", "Oy", "KK", "S.r.l.", "plc",
];

const FIRST_NAMES: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dmitri", "Elif", "Farah", "Gustav", "Hiro", "Ines", "Jonas", "Kavya",
    "Liam", "Maya", "Nils", "Olga", "Priya", "Quentin", "Rosa", "Sven", "Tomás",
];

const LAST_NAMES: &[&str] = &[
    "Silva",
    "Bauer",
    "Dubois",
    "Ivanov",
    "Yılmaz",
    "Haddad",
    "Lindqvist",
    "Tanaka",
    "García",
    "Weber",
    "Nair",
    "O'Brien",
    "Cohen",
    "Berg",
    "Novak",
    "Sharma",
    "Martin",
    "Rossi",
    "Jensen",
    "Kowalski",
];

/// Where a customer's bill goes: country, region, city, state, postal code, culture, language,
/// phone prefix.
struct Place {
    country: &'static str,
    region: &'static str,
    city: &'static str,
    state: &'static str,
    postal_code: &'static str,
    culture: &'static str,
    language: &'static str,
    phone: &'static str,
}

const PLACES: &[Place] = &[
    place(
        "US",
        "Americas",
        "Redmond",
        "WA",
        "98052",
        "en-US",
        "en",
        "+1 425 555",
    ),
    place(
        "US",
        "Americas",
        "New York",
        "NY",
        "10001",
        "en-US",
        "en",
        "+1 212 555",
    ),
    place(
        "CA",
        "Americas",
        "Toronto",
        "ON",
        "M5H 2N2",
        "en-CA",
        "en",
        "+1 416 555",
    ),
    place(
        "BR",
        "Americas",
        "São Paulo",
        "SP",
        "01310-100",
        "pt-BR",
        "pt",
        "+55 11 5555",
    ),
    place(
        "GB",
        "Europe",
        "London",
        "",
        "EC1A 1BB",
        "en-GB",
        "en",
        "+44 20 7946",
    ),
    place(
        "DE",
        "Europe",
        "Berlin",
        "BE",
        "10115",
        "de-DE",
        "de",
        "+49 30 5555",
    ),
    place(
        "FR",
        "Europe",
        "Paris",
        "",
        "75001",
        "fr-FR",
        "fr",
        "+33 1 5555",
    ),
    place(
        "NL",
        "Europe",
        "Amsterdam",
        "NH",
        "1012 JS",
        "nl-NL",
        "nl",
        "+31 20 555",
    ),
    place(
        "SE",
        "Europe",
        "Stockholm",
        "",
        "111 22",
        "sv-SE",
        "sv",
        "+46 8 555",
    ),
    place(
        "JP",
        "Asia Pacific",
        "Tokyo",
        "13",
        "100-0001",
        "ja-JP",
        "ja",
        "+81 3 5555",
    ),
    place(
        "AU",
        "Asia Pacific",
        "Sydney",
        "NSW",
        "2000",
        "en-AU",
        "en",
        "+61 2 5550",
    ),
    place(
        "IN",
        "Asia Pacific",
        "Bengaluru",
        "KA",
        "560001",
        "en-IN",
        "en",
        "+91 80 5555",
    ),
];

#[allow(clippy::too_many_arguments)]
const fn place(
    country: &'static str,
    region: &'static str,
    city: &'static str,
    state: &'static str,
    postal_code: &'static str,
    culture: &'static str,
    language: &'static str,
    phone: &'static str,
) -> Place {
    Place {
        country,
        region,
        city,
        state,
        postal_code,
        culture,
        language,
        phone,
    }
}

const STREETS: &[&str] = &[
    "Main Street",
    "Harbour Road",
    "Market Square",
    "Station Avenue",
    "Park Lane",
    "Mill Road",
];

/// Below this many customers, rendering on one thread is quicker than starting others.
const PARALLEL_THRESHOLD: usize = 4096;

/// What the generator draws for one customer (sequentially, so the seed fixes it).
struct Draw {
    stem: usize,
    suffix: usize,
    id: Uuid,
    commerce_id: Uuid,
    billing_seed: u64,
}

/// `count` customers generated from `seed`, all with a reseller relationship. Names are
/// `"{stem} {index} {suffix}"` and domains `"{slug}{index}.onmicrosoft.com"` with a zero-padded
/// 1-based index, so both are unique. The random draws are made in order on one thread; the
/// records (and their JSON) are then made on several, which is most of the work.
pub fn customers(count: usize, seed: u64) -> Vec<Customer> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let draws: Vec<Draw> = (0..count)
        .map(|_| Draw {
            stem: rng.usize(..STEMS.len()),
            suffix: rng.usize(..SUFFIXES.len()),
            id: random_guid(&mut rng),
            commerce_id: random_guid(&mut rng),
            billing_seed: rng.u64(..),
        })
        .collect();
    let width = count.to_string().len().max(4);
    let slugs: Vec<String> = STEMS.iter().map(|stem| slug(stem)).collect();
    let make = |first_index: usize, draws: &[Draw]| -> Vec<Customer> {
        draws
            .iter()
            .zip(first_index..)
            .map(|(draw, index)| {
                Customer::new(
                    draw.id,
                    draw.commerce_id,
                    format!("{}{index:0width$}.onmicrosoft.com", slugs[draw.stem]),
                    format!(
                        "{} {index:0width$} {}",
                        STEMS[draw.stem], SUFFIXES[draw.suffix]
                    ),
                    Relationship::Reseller,
                    draw.billing_seed,
                )
            })
            .collect()
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
    if count < PARALLEL_THRESHOLD || threads < 2 {
        return make(1, &draws);
    }
    let chunk = count.div_ceil(threads);
    std::thread::scope(|scope| {
        let workers: Vec<_> = draws
            .chunks(chunk)
            .enumerate()
            .map(|(n, part)| {
                let make = &make;
                scope.spawn(move || make(1 + n * chunk, part))
            })
            .collect();
        let mut customers = Vec::with_capacity(count);
        for worker in workers {
            // A panic while rendering is a bug; pass it on.
            customers.extend(
                worker
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        customers
    })
}

/// A version-4 GUID drawn from `rng`.
pub fn random_guid(rng: &mut fastrand::Rng) -> Uuid {
    let mut bytes = [0u8; 16];
    rng.fill(&mut bytes);
    Builder::from_random_bytes(bytes).into_uuid()
}

/// Lower-case letters and digits of `text`, for domain names.
fn slug(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The billing profile `customer` starts with (no `id`, `links` or `attributes`: the store adds
/// those). Derived from the customer's billing seed, so it needs no storage until updated.
pub fn billing_profile(customer: &Customer) -> Map<String, Value> {
    let mut rng = fastrand::Rng::with_seed(customer.billing_seed);
    let first = FIRST_NAMES[rng.usize(..FIRST_NAMES.len())];
    let last = LAST_NAMES[rng.usize(..LAST_NAMES.len())];
    let place = &PLACES[rng.usize(..PLACES.len())];
    let street = STREETS[rng.usize(..STREETS.len())];
    let number = rng.u32(1..2000);
    let floor = rng.u32(1..30);
    let phone = rng.u32(100..10_000);
    let order = rng.u32(..1_000_000);
    let mailbox: String = format!("{first}.{last}")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let profile = json!({
        "firstName": first,
        "lastName": last,
        "email": format!("{mailbox}@{}", customer.domain),
        "culture": place.culture,
        "language": place.language,
        "companyName": customer.company_name,
        "defaultAddress": {
            "country": place.country,
            "region": place.region,
            "city": place.city,
            "state": place.state,
            "addressLine1": format!("{number} {street}"),
            "addressLine2": "",
            "postalCode": place.postal_code,
            "firstName": first,
            "lastName": last,
            "phoneNumber": format!("{} {phone:04}", place.phone),
            "addressLine3": format!("Floor {floor}"),
        },
        "purchaseOrderReference": format!("PO-{order:06}"),
    });
    match profile {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object literal"),
    }
}

/// The id of `customer`'s billing profile (stable: derived from its billing seed).
pub fn billing_profile_id(customer: &Customer) -> Uuid {
    let mut rng = fastrand::Rng::with_seed(customer.billing_seed ^ 0x5eed_b111_0000_0001);
    random_guid(&mut rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_same_seed_gives_the_same_unique_customers() {
        let first = customers(300, 7);
        let again = customers(300, 7);
        let other = customers(300, 8);
        assert_eq!(first[5].id, again[5].id);
        assert_eq!(first[5].list_json(), again[5].list_json());
        assert_ne!(first[5].id, other[5].id);
        let domains: HashSet<_> = first.iter().map(|c| c.domain.clone()).collect();
        let names: HashSet<_> = first.iter().map(|c| c.company_name.clone()).collect();
        let ids: HashSet<_> = first.iter().map(|c| c.id).collect();
        assert_eq!((domains.len(), names.len(), ids.len()), (300, 300, 300));
        assert!(first[41].domain.ends_with("0042.onmicrosoft.com"));
        assert!(first[41].company_name.contains(" 0042 "));
    }

    #[test]
    fn many_customers_render_in_parallel_in_the_same_order() {
        let many = customers(10_000, 3);
        assert_eq!(many.len(), 10_000);
        assert!(many[9_999].domain.ends_with("10000.onmicrosoft.com"));
        assert!(many[4_999].company_name.contains(" 05000 "));
        let small = customers(10, 3);
        assert_eq!(
            many[..10].iter().map(|c| c.id).collect::<Vec<_>>(),
            small.iter().map(|c| c.id).collect::<Vec<_>>()
        );
    }

    #[test]
    fn billing_profiles_are_deterministic_and_varied() {
        let customers = customers(50, 1);
        assert_eq!(
            billing_profile(&customers[3]),
            billing_profile(&customers[3])
        );
        let countries: HashSet<_> = customers
            .iter()
            .map(|c| billing_profile(c)["defaultAddress"]["country"].clone())
            .collect();
        assert!(countries.len() > 3, "{countries:?}");
        let profile = billing_profile(&customers[0]);
        assert!(profile["email"].as_str().unwrap().contains('@'));
        assert!(profile["purchaseOrderReference"].is_string());
        assert!(profile["defaultAddress"]["addressLine3"].is_string());
    }
}
