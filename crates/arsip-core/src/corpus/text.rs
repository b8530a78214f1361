//! The words of generated records: realistic Indonesian election-office documents
//! with their ground truth. Names, places and numbers are drawn from seeded
//! randomness, NIKs are well-formed but fake.

use rand::rngs::StdRng;
use rand::seq::IndexedRandom;
use rand::Rng;

const FIRST: &[&str] = &[
    "Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Nur", "Eko", "Sri", "Dedi", "Yuni", "Asep",
    "Lina", "Hendra", "Wati", "Ujang", "Tuti", "Iwan", "Neneng", "Ridwan", "Euis", "Cecep",
    "Dadang", "Ratna", "Yusuf", "Fitri",
];
const LAST: &[&str] = &[
    "Rahayu",
    "Hidayat",
    "Lestari",
    "Santoso",
    "Kurniawan",
    "Susanti",
    "Saputra",
    "Permana",
    "Nurhayati",
    "Setiawan",
    "Gunawan",
    "Maulana",
    "Suryani",
    "Firmansyah",
    "Handayani",
    "Sopian",
    "Rohman",
    "Wulandari",
];
/// Kelurahan of Kota Bogor: name, its kecamatan, the NIK's district digits,
/// and its region code (the kecamatan's is the code's first three parts).
const KELURAHAN: &[(&str, &str, &str, &str)] = &[
    ("Batu Tulis", "Bogor Selatan", "3271010", "32.71.01.1001"),
    ("Empang", "Bogor Selatan", "3271010", "32.71.01.1003"),
    ("Baranangsiang", "Bogor Timur", "3271020", "32.71.02.1002"),
    ("Sukasari", "Bogor Timur", "3271020", "32.71.02.1001"),
    ("Pabaton", "Bogor Tengah", "3271030", "32.71.03.1003"),
    ("Babakan Pasar", "Bogor Tengah", "3271030", "32.71.03.1008"),
    ("Menteng", "Bogor Barat", "3271040", "32.71.04.1001"),
    ("Cilendek Barat", "Bogor Barat", "3271040", "32.71.04.1008"),
    ("Tegal Gundil", "Bogor Utara", "3271050", "32.71.05.1002"),
    ("Bantarjati", "Bogor Utara", "3271050", "32.71.05.1001"),
    ("Kedung Badak", "Tanah Sareal", "3271060", "32.71.06.1003"),
    ("Kebon Pedes", "Tanah Sareal", "3271060", "32.71.06.1002"),
];
use crate::clock::MONTHS;
const PARTIES: &[&str] = &[
    "Partai Kebangkitan Bangsa",
    "Partai Gerakan Indonesia Raya",
    "PDI Perjuangan",
    "Partai Golongan Karya",
    "Partai NasDem",
    "Partai Keadilan Sejahtera",
    "Partai Demokrat",
    "Partai Amanat Nasional",
    "Partai Persatuan Pembangunan",
];

/// What kind of record to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocKind {
    BeritaAcara,
    SkKpu,
    DaftarPemilih,
    Undangan,
    Laporan,
    /// A TPS result form (C.Hasil) with a ruled table of votes; not in
    /// `ALL`, so corpora made before it stay as they were.
    FormulirHasil,
}

impl DocKind {
    pub const ALL: [DocKind; 5] = [
        DocKind::BeritaAcara,
        DocKind::SkKpu,
        DocKind::DaftarPemilih,
        DocKind::Undangan,
        DocKind::Laporan,
    ];

    /// The document-type vocabulary code.
    pub fn doc_type(self) -> &'static str {
        match self {
            DocKind::BeritaAcara => "berita-acara",
            DocKind::SkKpu => "sk",
            DocKind::DaftarPemilih => "daftar-pemilih",
            DocKind::Undangan => "undangan",
            DocKind::Laporan => "laporan",
            DocKind::FormulirHasil => "formulir-hasil",
        }
    }
}

/// A written document: title, pages of lines, and facts for the ground truth.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Written {
    pub kind: DocKind,
    pub title: String,
    pub pages: Vec<Vec<String>>,
    pub election: String,
    pub year: u32,
    pub personal_data: bool,
    /// The code of the most specific region the text names.
    pub region: String,
    /// A result form's table and whether its sums agree.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub results: Option<super::results::ResultTruth>,
}

fn name(rng: &mut StdRng) -> String {
    format!(
        "{} {}",
        FIRST.choose(rng).unwrap_or(&"Siti"),
        LAST.choose(rng).unwrap_or(&"Rahayu")
    )
}

/// A fake but well-formed NIK from Kota Bogor: region, birth date (+40 for women), serial.
pub fn fake_nik(rng: &mut StdRng, district: &str) -> String {
    let day = rng.random_range(1..=28) + if rng.random_bool(0.5) { 40 } else { 0 };
    let month = rng.random_range(1..=12);
    let year = rng.random_range(50..=99);
    let serial = rng.random_range(1..=9999);
    format!("{}{day:02}{month:02}{year:02}{serial:04}", &district[..6])
}

fn date(rng: &mut StdRng, year: u32) -> String {
    format!(
        "{} {} {year}",
        rng.random_range(1..=28),
        MONTHS.choose(rng).unwrap_or(&"Februari")
    )
}

pub fn write(kind: DocKind, rng: &mut StdRng) -> Written {
    let pemilu = rng.random_bool(0.6);
    let year = if pemilu {
        *[2019u32, 2024].choose(rng).unwrap_or(&2024)
    } else {
        *[2018u32, 2020, 2024].choose(rng).unwrap_or(&2024)
    };
    let (election, election_words) = if pemilu {
        (
            format!("pemilu-{year}"),
            format!("Pemilihan Umum Tahun {year}"),
        )
    } else {
        (
            format!("pilkada-{year}"),
            format!("Pemilihan Wali Kota dan Wakil Wali Kota Bogor Tahun {year}"),
        )
    };
    let &(kel, kec, district, kel_code) = KELURAHAN.choose(rng).unwrap_or(&KELURAHAN[0]);
    let kec_code = &kel_code[..8];
    let tps = rng.random_range(1..=40);
    let nomor = rng.random_range(1..=999);
    let mut personal_data = false;
    let mut results = None;
    let (title, pages, region) = match kind {
        DocKind::FormulirHasil => {
            let title = format!("Formulir Model C.Hasil TPS {tps:03} Kelurahan {kel}");
            let header = vec![
                "FORMULIR MODEL C.HASIL".to_string(),
                "CATATAN HASIL PENGHITUNGAN PEROLEHAN SUARA".to_string(),
                election_words.to_uppercase(),
                format!(
                    "TPS {tps:03} KELURAHAN {} KECAMATAN {}",
                    kel.to_uppercase(),
                    kec.to_uppercase()
                ),
                String::new(),
            ];
            let footer = vec![
                String::new(),
                format!("Bogor, {}", date(rng, year)),
                "Ketua KPPS".to_string(),
                name(rng),
            ];
            let (lines, truth) = super::results::result_form(rng, PARTIES, header, footer);
            results = Some(truth);
            (title, vec![lines], kel_code)
        }
        DocKind::BeritaAcara => {
            let title = "Berita Acara Rekapitulasi Hasil Penghitungan Suara".to_string();
            let mut lines = vec![
                "BERITA ACARA".to_string(),
                "REKAPITULASI HASIL PENGHITUNGAN SUARA".to_string(),
                format!("Nomor: {nomor}/PL.01.7-BA/3271/{year}"),
                String::new(),
                format!(
                    "Pada hari ini tanggal {} bertempat di Kelurahan {kel},",
                    date(rng, year)
                ),
                format!("Kecamatan {kec}, Kota Bogor, Panitia Pemungutan Suara telah"),
                format!("melaksanakan rekapitulasi hasil penghitungan suara {election_words}"),
                format!("dari TPS {tps:03} dengan hasil sebagai berikut:"),
                String::new(),
            ];
            for p in PARTIES.choose_multiple(rng, 5) {
                lines.push(format!("{p}: {} suara", rng.random_range(10..400)));
            }
            lines.push(String::new());
            lines.push("Demikian berita acara ini dibuat dengan sebenarnya.".to_string());
            lines.push(format!("Ketua PPS Kelurahan {kel}"));
            lines.push(name(rng));
            (title, vec![lines], kel_code)
        }
        DocKind::SkKpu => {
            let title = format!(
                "Keputusan KPU Kota Bogor tentang Penetapan Daftar Pemilih Tetap {election_words}"
            );
            let page1 = vec![
                "KEPUTUSAN KOMISI PEMILIHAN UMUM KOTA BOGOR".to_string(),
                format!("Nomor {nomor} Tahun {year}"),
                "TENTANG".to_string(),
                "PENETAPAN REKAPITULASI DAFTAR PEMILIH TETAP".to_string(),
                election_words.to_uppercase(),
                String::new(),
                "Menimbang: bahwa untuk melaksanakan ketentuan peraturan".to_string(),
                "perundang-undangan, Komisi Pemilihan Umum Kota Bogor perlu".to_string(),
                "menetapkan rekapitulasi daftar pemilih tetap.".to_string(),
                String::new(),
                "MEMUTUSKAN:".to_string(),
                format!("Menetapkan jumlah pemilih tetap di Kecamatan {kec}"),
                format!(
                    "sebanyak {} pemilih pada {} TPS.",
                    rng.random_range(20000..90000),
                    rng.random_range(80..300)
                ),
            ];
            let page2 = vec![
                "Keputusan ini mulai berlaku pada tanggal ditetapkan.".to_string(),
                String::new(),
                format!("Ditetapkan di Bogor pada tanggal {}", date(rng, year)),
                "KETUA KOMISI PEMILIHAN UMUM KOTA BOGOR".to_string(),
                name(rng),
            ];
            (title, vec![page1, page2], kec_code)
        }
        DocKind::DaftarPemilih => {
            personal_data = true;
            let title = format!("Daftar Pemilih Tetap TPS {tps:03} Kelurahan {kel}");
            let mut lines = vec![
                "DAFTAR PEMILIH TETAP".to_string(),
                election_words.to_uppercase(),
                format!("Kelurahan {kel} Kecamatan {kec} TPS {tps:03}"),
                String::new(),
                "No\tNIK\tNama\tL/P".to_string(),
            ];
            for i in 1..=10 {
                let nik = fake_nik(rng, district);
                let gender = if nik[6..8].parse::<u32>().unwrap_or(0) > 40 {
                    "P"
                } else {
                    "L"
                };
                lines.push(format!("{i}\t{nik}\t{}\t{gender}", name(rng)));
            }
            (title, vec![lines], kel_code)
        }
        DocKind::Undangan => {
            let title = "Undangan Rapat Koordinasi Persiapan Pemungutan Suara".to_string();
            let lines = vec![
                "KOMISI PEMILIHAN UMUM KOTA BOGOR".to_string(),
                format!("Nomor: {nomor}/PP.01-Und/3271/{year}"),
                "Perihal: Undangan Rapat Koordinasi".to_string(),
                String::new(),
                format!("Yth. Ketua PPK Kecamatan {kec}"),
                "Dengan hormat, kami mengundang Saudara untuk hadir pada".to_string(),
                format!("rapat koordinasi persiapan pemungutan suara {election_words}"),
                format!("pada tanggal {} pukul 09.00 WIB", date(rng, year)),
                "di Aula Rumah Pintar Pemilu KPU Kota Bogor.".to_string(),
                String::new(),
                "Atas perhatian Saudara kami ucapkan terima kasih.".to_string(),
                "Sekretaris KPU Kota Bogor".to_string(),
                name(rng),
            ];
            (title, vec![lines], kec_code)
        }
        DocKind::Laporan => {
            let title =
                format!("Laporan Pelaksanaan Sosialisasi dan Pendidikan Pemilih Tahun {year}");
            let page1 = vec![
                "LAPORAN".to_string(),
                "PELAKSANAAN SOSIALISASI DAN PENDIDIKAN PEMILIH".to_string(),
                format!("TAHUN {year}"),
                String::new(),
                "Rumah Pintar Pemilu KPU Kota Bogor telah menyelenggarakan".to_string(),
                format!("kegiatan sosialisasi bagi pemilih pemula di Kecamatan {kec}"),
                format!(
                    "yang diikuti oleh {} peserta dari sekolah dan kampus.",
                    rng.random_range(50..500)
                ),
                "Kegiatan meliputi simulasi pemungutan suara, pengenalan".to_string(),
                "tahapan pemilihan, dan kunjungan ke ruang pameran arsip.".to_string(),
            ];
            let page2 = vec![
                "Hasil evaluasi menunjukkan peningkatan pemahaman peserta".to_string(),
                "tentang tata cara memberikan suara di TPS.".to_string(),
                String::new(),
                format!("Bogor, {}", date(rng, year)),
                "Kepala Subbagian Partisipasi dan Hubungan Masyarakat".to_string(),
                name(rng),
            ];
            (title, vec![page1, page2], kec_code)
        }
    };
    Written {
        kind,
        title,
        pages,
        election,
        year,
        personal_data,
        region: region.to_string(),
        results,
    }
}
