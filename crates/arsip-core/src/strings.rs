//! The one string table: everything a person reads, Bahasa Indonesia first and
//! English second. Shells look text up here by key; no user-facing literal lives
//! anywhere else. A test fails when an error code lacks either language.

use crate::error::ErrorCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Id,
    En,
}

impl Lang {
    pub fn parse(s: &str) -> Option<Lang> {
        match s.to_ascii_lowercase().as_str() {
            "id" | "ind" | "indonesia" => Some(Lang::Id),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }
}

/// (key, Indonesian, English)
const TABLE: &[(&str, &str, &str)] = &[
    // Error codes.
    ("invalid_input", "Masukan tidak valid", "Invalid input"),
    ("not_found", "Tidak ditemukan", "Not found"),
    ("access_denied", "Akses ditolak", "Access denied"),
    (
        "wrong_password",
        "Nama pengguna atau kata sandi salah",
        "Wrong user name or password",
    ),
    (
        "password_too_short",
        "Kata sandi terlalu pendek (paling sedikit 8 karakter)",
        "The password is too short (at least 8 characters)",
    ),
    (
        "not_logged_in",
        "Silakan masuk terlebih dahulu",
        "Please log in first",
    ),
    (
        "session_expired",
        "Sesi telah berakhir; silakan masuk lagi",
        "The session has expired; please log in again",
    ),
    (
        "archive_missing",
        "Arsip belum dibuat di folder ini (jalankan `arsip init`)",
        "No archive in this folder (run `arsip init`)",
    ),
    (
        "archive_exists",
        "Folder ini sudah berisi arsip",
        "This folder already holds an archive",
    ),
    (
        "folder_not_empty",
        "Folder ini sudah berisi berkas lain dan bukan folder cadangan: pilih folder kosong atau folder cadangan arsip ini",
        "This folder holds other files and is not a backup folder: choose an empty folder or this archive's backup folder",
    ),
    (
        "backup_folder",
        "Folder ini adalah cadangan, bukan arsip yang dipakai: buat arsip darinya dengan `arsip restore`",
        "This folder is a backup, not an archive in use: make an archive from it with `arsip restore`",
    ),
    (
        "restore_incomplete",
        "Pemulihan ke folder ini terputus sebelum selesai: jalankan pemulihan yang sama lagi (isi folder dibuat ulang)",
        "The restore into this folder was cut off before it finished: run the same restore again (the folder is made anew)",
    ),
    (
        "backup_incomplete",
        "Cadangan tidak lengkap: file asli yang hilang atau rusak di arsip ini tidak ikut dicadangkan (periksa dengan `arsip verify`)",
        "The backup is incomplete: originals missing or corrupt in this archive were not backed up (check with `arsip verify`)",
    ),
    (
        "backup_drive_missing",
        "Tempat folder tujuan tidak ada: apakah disk atau flash disk sudah terpasang?",
        "The place of the destination folder does not exist: is the disk or flash drive plugged in?",
    ),
    (
        "backup_of_another_archive",
        "Folder ini berisi cadangan arsip lain: pilih folder kosong atau folder cadangan arsip ini",
        "This folder holds another archive's backups: choose an empty folder or this archive's backup folder",
    ),
    (
        "not_a_backup",
        "Folder ini bukan cadangan arsip yang utuh (tidak ada BACKUP.json dan katalog yang sehat)",
        "This folder is not a whole archive backup (no BACKUP.json and sound catalogue)",
    ),
    (
        "empty_file",
        "Berkas kosong (0 byte)",
        "Empty file (0 bytes)",
    ),
    (
        "unsupported_format",
        "Jenis berkas tidak didukung",
        "Unsupported file type",
    ),
    (
        "corrupt_file",
        "Berkas rusak atau tidak dapat dibaca isinya",
        "The file is damaged or its content cannot be read",
    ),
    (
        "encrypted_pdf",
        "PDF terkunci kata sandi",
        "The PDF is password-protected",
    ),
    (
        "image_too_large",
        "Gambar terlalu besar untuk diproses",
        "The image is too large to process",
    ),
    (
        "file_too_large",
        "Berkas terlalu besar",
        "The file is too large",
    ),
    (
        "unreadable",
        "Izin ditolak: berkas atau folder ini tidak boleh dibuka oleh aplikasi arsip",
        "Permission denied: the archive program may not open this file or folder",
    ),
    ("no_text", "Tidak ada teks yang terbaca", "No readable text"),
    (
        "extraction_timeout",
        "Pembacaan berkas melebihi batas waktu",
        "Reading the file took too long",
    ),
    (
        "extraction_crashed",
        "Pembaca berkas gagal pada berkas ini",
        "The file reader crashed on this file",
    ),
    (
        "segment_rejected",
        "Kiriman ditolak: rusak, dipalsukan, diulang, atau tidak berurutan; tidak ada yang diterapkan",
        "Shipment rejected: damaged, forged, replayed or out of order; nothing was applied",
    ),
    (
        "sync_conflict",
        "Tujuan menyimpan riwayat kantor ini yang tidak ditulis oleh arsip ini (salinan cadangan lama atau instalasi yang disalin?)",
        "The target holds a history of this office that this archive did not write (an old backup or a copied installation?)",
    ),
    (
        "not_province",
        "Arsip ini bukan arsip provinsi (buat dengan `arsip init --province`)",
        "This is not a provincial archive (make one with `arsip init --province`)",
    ),
    (
        "reason_required",
        "Menurunkan klasifikasi akses memerlukan alasan",
        "Lowering an access class needs a reason",
    ),
    (
        "declassify_denied",
        "Hanya admin yang boleh menurunkan klasifikasi akses arsip; simpan dengan klasifikasi semula, lalu minta admin membukanya",
        "Only the admin may lower a record's access class; save with the class as it was, then ask the admin to open it",
    ),
    (
        "too_many_attempts",
        "Terlalu banyak percobaan masuk yang gagal; coba lagi setelah jeda ini (detik, paling lama 15 menit; admin dapat memulai ulang server untuk membukanya)",
        "Too many failed logins; try again after this pause (seconds, at most 15 minutes; the admin can restart the server to lift it)",
    ),
    (
        "query_too_long",
        "Kata pencarian terlalu panjang (paling banyak 500 karakter dan 32 kata)",
        "The search is too long (at most 500 characters and 32 words)",
    ),
    (
        "target_not_approved",
        "Tujuan ini belum disetujui admin untuk menerima salinan arsip; minta admin mengirim ke tujuan ini sekali untuk menyetujuinya",
        "This target has not been approved by the admin to receive copies of the archive; ask the admin to send to it once to approve it",
    ),
    (
        "target_invalid",
        "Alamat tujuan tidak dikenal: tulis s3://BUCKET/AWALAN untuk server provinsi atau file:///FOLDER untuk flash disk",
        "Unknown target address: write s3://BUCKET/PREFIX for the province's server or file:///FOLDER for a flash drive",
    ),
    (
        "user_exists",
        "Nama pengguna ini sudah dipakai; pilih nama lain",
        "This user name is already taken; choose another",
    ),
    (
        "last_admin",
        "Ini admin aktif terakhir: arsip harus selalu punya satu admin aktif; tambahkan admin lain dahulu",
        "This is the last active admin: the archive must always have one; add another admin first",
    ),
    (
        "access_differs",
        "Kedua arsip berbeda kelas aksesnya; samakan kelas aksesnya dulu, lalu gabungkan atau pindahkan halamannya",
        "The two records have different access classes; make them the same first, then merge or move the pages",
    ),
    (
        "pages_of_one_file",
        "Halaman ini bagian dari satu berkas (PDF atau TIFF) bersama halaman lain; pindahkan semua halaman berkas itu bersama-sama",
        "These pages are part of one file (PDF or TIFF) with other pages; move all of that file's pages together",
    ),
    (
        "partly_archived",
        "Sebagian halaman dokumen ini sudah diarsipkan di arsip lain; impor halaman yang belum ada sendiri-sendiri, lalu pindahkan ke arsip itu",
        "Some pages of this document are already archived in another record; import the missing pages on their own, then move them into that record",
    ),
    (
        "folder_missing",
        "Folder pantau tidak ditemukan; pastikan drive atau folder bersama itu terpasang",
        "The watched folder was not found; make sure its drive or network share is mounted",
    ),
    (
        "folder_invalid",
        "Folder ini tidak dapat dipantau: tulis path lengkap sebuah folder di komputer arsip (mis. /home/arsip/Pindaian), di luar folder arsip",
        "This folder cannot be watched: give the full path of a folder on the archive computer (e.g. /home/arsip/Pindaian), outside the archive's folder",
    ),
    (
        "no_such_page",
        "Nomor halaman itu tidak ada di arsip ini",
        "This record has no page of that number",
    ),
    (
        "same_record",
        "Arsip tujuan adalah arsip ini sendiri; pilih arsip lain, atau kosongkan tujuan untuk memisahkan halaman",
        "The target is this record itself; choose another record, or leave the target empty to split the pages off",
    ),
    (
        "split_all",
        "Tidak semua halaman dapat dipisahkan ke arsip baru; sisakan minimal satu halaman di arsip ini, atau pilih arsip tujuan",
        "Not every page can be split into a new record; leave at least one page here, or choose a target record",
    ),
    (
        "split_failed",
        "Berkas pindaian ini berisi lembar pemisah, tetapi tidak dapat dipotong menjadi beberapa arsip (PDF-nya rusak atau terkunci); pindai ulang tumpukan itu",
        "This scanned batch holds separator sheets but could not be split into records (its PDF is damaged or locked); scan the stack again",
    ),
    (
        "table_changed",
        "Tabel hasil ini sudah dibaca ulang sejak Anda membukanya (halamannya dipindahkan); muat ulang halaman ini dan periksa angkanya lagi",
        "This result table was read again since you opened it (its pages moved); reload the page and check its numbers again",
    ),
    (
        "number_taken",
        "Nomor berkas ini sudah dipakai berkas lain; pakai nomor lain",
        "This berkas number is already used by another berkas; choose another number",
    ),
    (
        "not_due",
        "Berkas ini tidak dapat diusulkan dalam daftar ini: belum jatuh tempo untuk itu menurut JRA-nya (masa retensi belum habis, JRA belum dikonfirmasi, atau keterangannya lain), atau sudah ada di daftar lain",
        "This berkas cannot be proposed on this list: it is not due for it under its JRA row (its years are not over, the row is not confirmed, or it says another outcome), or it is on another list",
    ),
    (
        "wrong_step",
        "Daftar ini tidak sedang menunggu langkah itu (mungkin sudah diproses orang lain); muat ulang halaman",
        "This list is not waiting for that step (someone may have taken it); reload the page",
    ),
    (
        "synced_copies",
        "Daftar ini memuat arsip kiriman kantor lain: arsip itu dimusnahkan oleh kantor pengirimnya, dan pemusnahannya sampai ke sini melalui sinkronisasi, maka pemusnahan tidak dapat dilaksanakan di sini",
        "This list holds records another office sent: that office destroys them, and sync carries the destruction here, so it cannot be carried out here",
    ),
    (
        "other_office",
        "Arsip atau berkas ini milik kantor yang mengirimnya ke sini: hanya kantor itu yang dapat mengubahnya, dan perubahannya sampai ke sini melalui sinkronisasi",
        "This record or berkas belongs to the office that sent it here: only that office changes it, and sync brings its changes here",
    ),
    (
        "berkas_locked",
        "Berkas ini ada dalam daftar penyusutan yang belum selesai, atau sudah dimusnahkan: isi dan keterangannya tidak dapat diubah (batalkan daftarnya dulu)",
        "This berkas is on a disposal list not yet done, or was destroyed: its contents and details cannot change (cancel the list first)",
    ),
    (
        "name_taken",
        "Nomor boks atau nama tempat ini sudah dipakai (huruf besar dan kecil dianggap sama)",
        "This box number or place name is already used (capitals and small letters count as the same)",
    ),
    (
        "on_loan",
        "Sedang dipinjam: berkas atau boksnya belum dikembalikan",
        "On loan: the berkas or its box has not been returned yet",
    ),
    (
        "list_changed",
        "Isi berkas dalam daftar ini sudah berubah sejak diusulkan (ada arsip yang dihapus atau masa retensinya berubah); batalkan daftar ini dan usulkan lagi",
        "The berkas on this list changed since it was proposed (a record was deleted or its retention changed); cancel this list and propose it again",
    ),
    (
        "record_changed",
        "Arsip ini sudah diubah orang lain sejak Anda membukanya (dipindai ulang, dibaca ulang, atau halamannya dipindahkan); muat ulang halaman lalu coba lagi",
        "This record was changed by someone else since you opened it (re-scanned, read again, or its pages moved); reload the page and try again",
    ),
    (
        "scan_archived",
        "Berkas pindaian ini sudah tersimpan, sebagai isi arsip ini sekarang atau di arsip lain; untuk memakai versi lama arsip ini, pilih \"Pulihkan versi ini\" di daftar versinya",
        "This scan is already archived, as this record's current content or in another record; to bring back an earlier version of this record, choose \"Restore this version\" in its list of versions",
    ),
    (
        "own_account",
        "Admin tidak dapat menonaktifkan atau menurunkan peran akunnya sendiri; minta admin lain melakukannya",
        "An admin cannot disable or demote their own account; ask another admin to do it",
    ),
    (
        "already_exists",
        "Sudah ada berkas atau folder dengan nama ini",
        "A file or folder of this name already exists",
    ),
    (
        "target_unreachable",
        "Tujuan sinkronisasi tidak dapat dijangkau; perubahan tetap menunggu dan dikirim lain kali",
        "The sync target cannot be reached; changes stay queued and are sent next time",
    ),
    (
        "tool_missing",
        "Program pendukung belum terpasang",
        "A required program is not installed",
    ),
    (
        "schema_too_new",
        "Arsip ini dibuat oleh versi aplikasi yang lebih baru",
        "This archive was made by a newer version of the application",
    ),
    (
        "disk_full",
        "Disk penuh: kosongkan sebagian tempat atau pakai disk lain",
        "The disk is full: free some space or use another disk",
    ),
    (
        "read_only_disk",
        "Disk atau flash disk ini hanya dapat dibaca (terkunci?): tidak ada yang dapat ditulis ke sana",
        "This disk or flash drive is read-only (locked?): nothing can be written to it",
    ),
    (
        "io",
        "Gagal membaca atau menulis disk",
        "Disk read or write failed",
    ),
    ("database", "Kesalahan katalog", "Catalogue error"),
    ("index", "Kesalahan indeks pencarian", "Search index error"),
    ("internal", "Kesalahan internal", "Internal error"),
    // Terminal and report messages.
    (
        "ingest.summary",
        "Selesai: {added} ditambahkan, {duplicate} sudah ada, {failed} gagal, {pages} halaman",
        "Done: {added} added, {duplicate} already present, {failed} failed, {pages} pages",
    ),
    ("ingest.progress", "Mengimpor", "Importing"),
    ("search.none", "Tidak ada hasil", "No results"),
    (
        "search.count",
        "{count} arsip ditemukan",
        "{count} records found",
    ),
    ("search.pages", "halaman", "pages"),
    (
        "verify.ok",
        "Arsip utuh: {blobs} file diperiksa, katalog dan indeks sesuai",
        "Archive intact: {blobs} files checked, catalogue and index agree",
    ),
    (
        "backup.done",
        "Cadangan tersimpan di {target}: {records} arsip, {blobs} file ({copied} baru disalin dan diperiksa)",
        "Backup saved in {target}: {records} records, {blobs} files ({copied} new, copied and checked)",
    ),
    (
        "backup.problem",
        "  tidak ikut dicadangkan (hilang atau rusak di arsip ini; jalankan `arsip verify --repair`): {record} {sha}",
        "  not backed up (missing or corrupt in this archive; run `arsip verify --repair`): {record} {sha}",
    ),
    (
        "recover.guessed",
        " (ditebak dari arsipnya; bila salah, ulangi dengan --region)",
        " (guessed from its records; if wrong, run again with --region)",
    ),
    (
        "recover.done",
        "Kantor {office} dibangun kembali di {archive}: {records} arsip sampai perubahan ke-{seq}, {blobs} file diperiksa ({missing} tidak ada atau rusak di sumber: ambil dengan arsip verify --repair dari salinan lain), wilayah {region}{guessed}. Bila KPU Provinsi memegang perubahan yang lebih baru, pulihkan dari simpanan provinsi: salinan lama ditolak di sana. Kunci kantor yang baru: {key}. Minta KPU Provinsi menjalankan: arsip office replace \"{office}\" --key {key}. Belum ada pengguna: buka arsip ini di aplikasi desktop (rpp-arsip --archive {archive}) untuk membuat admin pertama, atau jalankan: arsip --archive {archive} user add NAMA --role admin (kata sandi dibaca dari masukan)",
        "Office {office} rebuilt in {archive}: {records} records up to change {seq}, {blobs} files checked ({missing} missing or damaged in the source: fetch them with arsip verify --repair from another copy), region {region}{guessed}. If the province holds newer changes, restore from the province's store: an older copy is refused there. The office's new key: {key}. Ask the province to run: arsip office replace \"{office}\" --key {key}. There are no users yet: open this archive in the desktop app (rpp-arsip --archive {archive}) to make the first admin, or run: arsip --archive {archive} user add NAME --role admin (the password is read from standard input)",
    ),
    (
        "restore.done",
        "Arsip dipulihkan di {archive}: {records} arsip dari cadangan {made_at}",
        "Archive restored in {archive}: {records} records from the backup of {made_at}",
    ),
    (
        "repair.done",
        "Diperbaiki dari salinan: {record} {sha}",
        "Repaired from a copy: {record} {sha}",
    ),
    (
        "repair.missing",
        "Tidak ada salinan utuh: {record} {sha}",
        "No whole copy found: {record} {sha}",
    ),
    (
        "verify.problems",
        "Ditemukan {count} masalah",
        "{count} problems found",
    ),
    (
        "audit.ok",
        "Jejak audit utuh: {count} entri",
        "Audit trail intact: {count} entries",
    ),
    (
        "audit.broken",
        "Jejak audit rusak mulai entri {seq}",
        "Audit trail broken at entry {seq}",
    ),
    (
        "reindex.done",
        "Indeks dibangun ulang: {count} arsip",
        "Index rebuilt: {count} records",
    ),
    (
        "serve.listening",
        "Buka http://{addr}/ di peramban (API di /api; Ctrl-C untuk berhenti)",
        "Open http://{addr}/ in a browser (API under /api; Ctrl-C to stop)",
    ),
    (
        "usage.error",
        "Perintah tidak dapat dipahami: {detail} (lihat `arsip --help`)",
        "Command not understood: {detail} (see `arsip --help`)",
    ),
    (
        "place.added",
        "Tempat simpan {path} ditambahkan",
        "Storage place {path} added",
    ),
    (
        "place.report",
        "Laporan tempat simpan ditulis ke {path}",
        "Storage report written to {path}",
    ),
    (
        "place.line",
        "{path} ({kind}): {boxes} boks, {berkas} berkas",
        "{path} ({kind}): {boxes} boxes, {berkas} berkas",
    ),
    (
        "box.line",
        "Boks {number} di {place}: {berkas} berkas, kondisi {condition}",
        "Box {number} at {place}: {berkas} berkas, condition {condition}",
    ),
    ("box.item", "map {folder}: {number} {title}", "folder {folder}: {number} {title}"),
    (
        "labels.printed",
        "{count} label dicetak ke {path}",
        "{count} labels printed to {path}",
    ),
    ("label.box", "Label boks {number}", "Label of box {number}"),
    (
        "loan.report",
        "Per {date}: {count} pinjaman, {overdue} terlambat",
        "On {date}: {count} loans, {overdue} overdue",
    ),
    (
        "loan.out",
        "{id}  {what} dipinjam {borrower} ({unit}), kembali {due}",
        "{id}  {what} lent to {borrower} ({unit}), due {due}",
    ),
    (
        "loan.late",
        "{id}  {what} dipinjam {borrower} ({unit}), kembali {due}: TERLAMBAT {days} hari",
        "{id}  {what} lent to {borrower} ({unit}), due {due}: {days} DAYS LATE",
    ),
    (
        "loan.returned",
        "{id}  {what} dipinjam {borrower} ({unit}), dikembalikan {returned}",
        "{id}  {what} lent to {borrower} ({unit}), returned {returned}",
    ),
    ("loan.slip_written", "Bukti peminjaman ditulis ke {path}", "Lending slip written to {path}"),
    (
        "digitisation.written",
        "Dokumen alih media ditulis ke {path}",
        "Digitisation document written to {path}",
    ),
    ("label.berkas", "Label berkas {number}", "Label of berkas {number}"),
    (
        "berkas.added",
        "Berkas {number} dibuat; JRA yang disarankan: {jra} (konfirmasi dengan: arsip berkas jra {number})",
        "Berkas {number} made; suggested JRA row: {jra} (confirm with: arsip berkas jra {number})",
    ),
    (
        "berkas.filed",
        "{count} arsip dimasukkan ke berkas {number}",
        "{count} records filed in berkas {number}",
    ),
    (
        "berkas.no_jra",
        "Berkas {number} belum punya kode klasifikasi yang ada di JRA; sebutkan kodenya",
        "Berkas {number} has no classification code the JRA covers; name the code",
    ),
    ("berkas.suggested", "{code}? (saran)", "{code}? (suggested)"),
    (
        "berkas.dates",
        "pindah {transfer}, akhir retensi {final}",
        "transfer {transfer}, end of retention {final}",
    ),
    ("retention.on", "Retensi arsip per {date}", "Retention as of {date}"),
    (
        "retention.transfer",
        "Jatuh tempo pemindahan ke inaktif: {count}",
        "Due for transfer to inactive: {count}",
    ),
    (
        "retention.assess",
        "Jatuh tempo usul musnah: {count}",
        "Due for destruction assessment: {count}",
    ),
    (
        "retention.handover",
        "Jatuh tempo penyerahan arsip statis: {count}",
        "Due for handover as static archives: {count}",
    ),
    (
        "retention.review",
        "Jatuh tempo dinilai kembali: {count}",
        "Due for a new assessment: {count}",
    ),
    (
        "retention.unconfirmed",
        "Belum dikonfirmasi JRA-nya: {count}",
        "JRA row not yet confirmed: {count}",
    ),
    (
        "retention.undated",
        "Tanpa tahun penutupan: {count}",
        "No closing year: {count}",
    ),
    (
        "retention.totals",
        "Berkas permanen: {permanent}; arsip di luar berkas: {unfiled}",
        "Permanent berkas: {permanent}; records in no berkas: {unfiled}",
    ),
    (
        "vocab.imported",
        "{count} baris diimpor ke kosakata {vocabulary}",
        "{count} rows imported into the {vocabulary} vocabulary",
    ),
    (
        "user.password_prompt",
        "Kata sandi (paling sedikit 8 karakter)",
        "Password (at least 8 characters)",
    ),
    (
        "user.saved",
        "Pengguna {name} disimpan dengan peran {role}",
        "User {name} saved with role {role}",
    ),
    (
        "watch.started",
        "Memantau folder {folder}; berkas dibaca saat tiba (hentikan dengan Ctrl+C)",
        "Watching the folder {folder}; files are read as they arrive (stop with Ctrl+C)",
    ),
    ("watch.stopped", "Folder tidak dipantau lagi", "No folder is watched now"),
    (
        "watch.elsewhere",
        "Folder ini sedang dipantau proses lain pada arsip ini (arsip serve atau aplikasi desktop); berkas dibaca di sana",
        "Another process on this archive (arsip serve or the desktop app) watches the folder now; files are read there",
    ),
    ("file.added", "ditambahkan", "added"),
    ("file.duplicate", "sudah ada", "already present"),
    ("file.failed", "gagal", "failed"),
    (
        "ingest.split_part",
        "hal. {pages} → {id} {title}",
        "p. {pages} → {id} {title}",
    ),
    (
        "ingest.split_part_blank",
        "hal. {pages} → {id} {title} ({blank} halaman kosong dilewati)",
        "p. {pages} → {id} {title} ({blank} blank pages left out)",
    ),
    (
        "ingest.split_no_sheet",
        "hal. {pages} → {id} {title} (tanpa lembar pemisah: isi sendiri)",
        "p. {pages} → {id} {title} (no separator sheet: fill in by hand)",
    ),
    (
        "separators.printed",
        "{n} lembar pemisah ditulis ke {path}",
        "{n} separator sheets written to {path}",
    ),
    (
        "version.kept",
        "Isi arsip diganti; isi sebelumnya disimpan sebagai versi {n}",
        "The record's content was replaced; what it held is kept as version {n}",
    ),
    (
        "pages.moved",
        "Halaman dipindahkan ke arsip {id}",
        "Pages moved to record {id}",
    ),
    (
        "init.done",
        "Arsip dibuat di {path}",
        "Archive created at {path}",
    ),
    (
        "demo.done",
        "Arsip contoh siap di {path}: {count} arsip",
        "Demo archive ready at {path}: {count} records",
    ),
    (
        "show.suggestions",
        "Usulan metadata (perlu dikonfirmasi)",
        "Suggested metadata (to be confirmed)",
    ),
    (
        "personal.masked",
        "data pribadi disamarkan",
        "personal data masked",
    ),
    (
        "key.show",
        "Kunci publik kantor ini (daftarkan di provinsi dengan `arsip office add`): {key}",
        "This office's public key (register it at the province with `arsip office add`): {key}",
    ),
    (
        "office.replaced",
        "Kantor {name} kini memakai kunci barunya; lognya dibaca lagi dari awal pada tarikan berikutnya",
        "Office {name} now uses its new key; its log is read again from the start at the next pull",
    ),
    (
        "office.added",
        "Kantor {name} terdaftar; segmennya kini diterima",
        "Office {name} registered; its segments are now accepted",
    ),
    (
        "sync.progress",
        "Mengirim",
        "Sending",
    ),
    (
        "sync.pushed",
        "Terkirim ke {target}: {blobs} file ({mb} MB), {segments} segmen; tujuan memuat perubahan sampai nomor {head}",
        "Sent to {target}: {blobs} files ({mb} MB), {segments} segments; the target holds changes up to number {head}",
    ),
    (
        "sync.pulled",
        "{office}: {segments} segmen diterapkan, {records} arsip diperbarui (sampai perubahan {applied})",
        "{office}: {segments} segments applied, {records} records updated (up to change {applied})",
    ),
    (
        "sync.rejected",
        "DITOLAK {object} dari {office}: {reason}",
        "REJECTED {object} from {office}: {reason}",
    ),
    (
        "sync.files_missing",
        "{office}: {count} file (gambar kecil halaman atau file asli) tidak ada di sumber; arsipnya tetap diterapkan, dan `arsip verify` mencantumkannya",
        "{office}: {count} files (page thumbnails or originals) are not in the source; the records were applied anyway, and `arsip verify` lists them",
    ),
    (
        "sync.purged",
        "{count} file arsip yang dimusnahkan kantornya dihapus dari {source}",
        "{count} files of records their office destroyed were removed from {source}",
    ),
    (
        "sync.unregistered",
        "Kantor belum terdaftar, segmennya tidak diterapkan: {office}",
        "Office not registered, its segments were not applied: {office}",
    ),
    (
        "sync.status",
        "{office} ({kind}), kunci {key}: {changes} perubahan, {unsealed} belum disegel",
        "{office} ({kind}), key {key}: {changes} changes, {unsealed} not yet sealed",
    ),
    (
        "sync.status.target",
        "  {url}: terkirim sampai perubahan {sent}, {waiting} menunggu; terakhir berhasil {success}{error}",
        "  {url}: sent up to change {sent}, {waiting} waiting; last success {success}{error}",
    ),
    (
        "sync.status.office",
        "  {office}: diterapkan sampai perubahan {applied}",
        "  {office}: applied up to change {applied}",
    ),
    (
        "sync.status.approved",
        "  disetujui admin untuk salinan arsip: {url}",
        "  approved by the admin for copies of the archive: {url}",
    ),
    ("sync.never", "belum pernah", "never"),
    (
        "sync.s3.saved",
        "Pengaturan S3 disimpan di arsip ini: {endpoint}",
        "S3 settings saved in this archive: {endpoint}",
    ),
    (
        "export.bag",
        "Tas BagIt ditulis di {path}: {records} arsip, {files} file asli",
        "BagIt bag written at {path}: {records} records, {files} original files",
    ),
    (
        "export.atom",
        "CSV AtoM ditulis di {path}: {rows} baris deskripsi",
        "AtoM CSV written at {path}: {rows} description rows",
    ),
    ("sync.last_error", "; galat terakhir: ", "; last error: "),
    ("kind.office", "kantor", "office"),
    ("kind.province", "provinsi", "province"),
];

/// The audit trail's actions in words: (action code, Indonesian, English),
/// for what the core writes for people (the audit trail's CSV). The UI's
/// table holds the same words as `audit.do.<action>`; a test in arsip-api
/// (`audit::the_uis_audit_action_words_are_the_cores`) fails when the two differ.
const AUDIT_ACTIONS: &[(&str, &str, &str)] = &[
    ("record.view", "Melihat arsip", "Viewed a record"),
    (
        "record.edit",
        "Mengubah keterangan arsip",
        "Edited a record",
    ),
    ("record.delete", "Menghapus arsip", "Deleted a record"),
    (
        "record.restore",
        "Memulihkan arsip dari tempat sampah",
        "Restored a record from the trash",
    ),
    ("record.ingest", "Menambahkan arsip", "Added a record"),
    (
        "record.rescan",
        "Mengganti pindaian arsip (versi lama disimpan)",
        "Replaced a record's scans (the earlier version kept)",
    ),
    (
        "record.reocr",
        "Membaca ulang teks arsip dengan OCR (versi lama disimpan)",
        "Read a record's text again by OCR (the earlier version kept)",
    ),
    (
        "record.version_restore",
        "Memulihkan versi lama isi arsip",
        "Brought back an earlier version of a record's content",
    ),
    (
        "file.download",
        "Mengunduh file asli",
        "Downloaded an original",
    ),
    (
        "search.export",
        "Mengekspor hasil pencarian",
        "Exported search results",
    ),
    (
        "export.bag",
        "Menyiapkan paket serah terima (BagIt)",
        "Made a handover package (BagIt)",
    ),
    (
        "export.atom",
        "Mengekspor deskripsi untuk AtoM",
        "Exported descriptions for AtoM",
    ),
    (
        "sync.push",
        "Mengirim ke provinsi atau flash disk",
        "Sent to the province or a flash drive",
    ),
    (
        "sync.target.approve",
        "Menyetujui tujuan kiriman",
        "Approved a sending target",
    ),
    (
        "sync.apply",
        "Menerapkan kiriman kantor",
        "Applied an office's changes",
    ),
    (
        "sync.redact",
        "Mengeluarkan isi arsip yang dimusnahkan dari segmen kiriman",
        "Took destroyed content out of sealed sync segments",
    ),
    (
        "sync.purge",
        "Menghapus file arsip yang dimusnahkan dari penyimpanan provinsi",
        "Removed destroyed records' files from the province's store",
    ),
    (
        "archive.backup",
        "Mencadangkan arsip",
        "Backed up the archive",
    ),
    (
        "archive.recover",
        "Membangun kembali kantor dari yang pernah dikirimnya",
        "Rebuilt the office from what it had sent",
    ),
    (
        "archive.restore",
        "Memulihkan arsip dari cadangan",
        "Restored the archive from a backup",
    ),
    (
        "backup.plan",
        "Mengatur jadwal cadangan",
        "Set the backup schedule",
    ),
    (
        "blob.repair",
        "Memperbaiki file asli dari salinan",
        "Repaired an original from a copy",
    ),
    ("user.login", "Masuk", "Logged in"),
    ("user.logout", "Keluar", "Logged out"),
    ("user.login_failed", "Gagal masuk", "Failed to log in"),
    (
        "user.login_locked",
        "Masuk ditahan sementara",
        "Login held back for a while",
    ),
    ("user.add", "Menambah pengguna", "Added a user"),
    (
        "user.set",
        "Mengatur pengguna (terminal)",
        "Set a user (terminal)",
    ),
    (
        "user.role",
        "Mengubah peran pengguna",
        "Changed a user's role",
    ),
    ("user.disable", "Menonaktifkan pengguna", "Disabled a user"),
    ("user.enable", "Mengaktifkan pengguna", "Enabled a user"),
    (
        "user.password",
        "Mengganti kata sandi pengguna",
        "Set a user's password",
    ),
    ("office.set", "Mengatur kantor", "Set the office"),
    ("office.add", "Mendaftarkan kantor", "Registered an office"),
    (
        "office.province",
        "Menjadikan arsip provinsi",
        "Made a provincial archive",
    ),
    (
        "vocabulary.import",
        "Mengimpor kosakata",
        "Imported a vocabulary",
    ),
    (
        "office.rekey",
        "Mengganti kunci kantor",
        "Changed an office's key",
    ),
    (
        "record.pages",
        "Memindahkan halaman antar-arsip",
        "Moved pages between records",
    ),
    (
        "watch.plan",
        "Mengatur folder pantau pemindai",
        "Set the scanner's watched folder",
    ),
    (
        "record.review",
        "Memeriksa saran keterangan arsip baru",
        "Reviewed what was suggested for a new record",
    ),
    (
        "record.merge",
        "Menggabungkan arsip ke arsip lain",
        "Merged a record into another",
    ),
    (
        "audit.export",
        "Mengunduh jejak audit (CSV)",
        "Downloaded the audit trail (CSV)",
    ),
    (
        "recap.confirm",
        "Mengonfirmasi tabel hasil",
        "Confirmed a result table",
    ),
    (
        "recap.export",
        "Mengunduh tabel hasil terkonfirmasi (CSV)",
        "Downloaded the confirmed result tables (CSV)",
    ),
    (
        "disposal.propose",
        "Mengusulkan daftar arsip musnah",
        "Proposed a destruction list",
    ),
    (
        "disposal.assess",
        "Mencatat penilaian tim atas daftar penyusutan",
        "Recorded the team's assessment of a disposal list",
    ),
    (
        "disposal.approve",
        "Mencatat persetujuan daftar penyusutan",
        "Recorded the approval of a disposal list",
    ),
    (
        "disposal.done",
        "Melaksanakan pemusnahan arsip",
        "Carried out a destruction",
    ),
    (
        "transfer.propose",
        "Mengusulkan daftar arsip usul pindah",
        "Proposed a transfer list",
    ),
    (
        "transfer.approve",
        "Mencatat persetujuan pemindahan arsip inaktif",
        "Recorded the approval of a transfer",
    ),
    (
        "transfer.done",
        "Melaksanakan pemindahan arsip inaktif",
        "Carried out a transfer",
    ),
    (
        "handover.propose",
        "Mengusulkan daftar arsip statis usul serah",
        "Proposed a handover list",
    ),
    (
        "handover.verify",
        "Mencatat verifikasi lembaga kearsipan atas daftar serah",
        "Recorded the regional archive's verification of a handover list",
    ),
    (
        "handover.approve",
        "Mencatat persetujuan penyerahan arsip statis",
        "Recorded the approval of a handover",
    ),
    (
        "handover.done",
        "Melaksanakan penyerahan arsip statis",
        "Carried out a handover of static records",
    ),
    (
        "disposal.cancel",
        "Membatalkan daftar penyusutan",
        "Cancelled a disposal list",
    ),
    (
        "disposal.export",
        "Mengunduh dokumen daftar penyusutan",
        "Downloaded a disposal list's document",
    ),
    (
        "record.destroy",
        "Memusnahkan isi arsip (berita acara)",
        "Destroyed a record's content (berita acara)",
    ),
    ("berkas.add", "Membuat berkas", "Made a berkas"),
    (
        "berkas.edit",
        "Mengubah berkas atau JRA-nya",
        "Changed a berkas or its JRA row",
    ),
    (
        "place.add",
        "Menambah tempat simpan",
        "Added a storage place",
    ),
    ("box.add", "Menerima boks arsip", "Received a box"),
    ("box.edit", "Mengubah boks arsip", "Changed a box"),
    ("labels.print", "Mencetak label arsip", "Printed labels"),
    ("loan.lend", "Meminjamkan arsip", "Lent archives"),
    (
        "loan.return",
        "Menerima kembali pinjaman",
        "Took back a loan",
    ),
    (
        "loan.slip",
        "Mencetak bukti peminjaman",
        "Printed a lending slip",
    ),
    (
        "storage.report",
        "Mencetak laporan tempat simpan",
        "Printed the storage report",
    ),
    (
        "digitisation.document",
        "Mencetak berita acara atau daftar alih media",
        "Printed a digitisation record or list",
    ),
];

/// An audit action in words; None for an action without them.
pub fn audit_action(action: &str, lang: Lang) -> Option<&'static str> {
    AUDIT_ACTIONS
        .iter()
        .find(|(code, _, _)| *code == action)
        .map(|(_, id, en)| if lang == Lang::Id { *id } else { *en })
}

/// Every audit action with words: (code, Indonesian, English).
pub fn audit_actions() -> &'static [(&'static str, &'static str, &'static str)] {
    AUDIT_ACTIONS
}

fn lookup(key: &str, lang: Lang) -> Option<&'static str> {
    TABLE
        .iter()
        .find(|(k, _, _)| *k == key)
        .map(|(_, id, en)| if lang == Lang::Id { *id } else { *en })
}

/// The text for a key; an unknown key comes back as itself so a gap is visible, never a crash.
pub fn text(key: &'static str, lang: Lang) -> &'static str {
    lookup(key, lang).unwrap_or(key)
}

/// The text for a key with `{name}` placeholders filled in.
pub fn format(key: &'static str, lang: Lang, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut out = text(key, lang).to_string();
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), &value.to_string());
    }
    out
}

pub fn error_text(code: ErrorCode, lang: Lang) -> &'static str {
    text(code.as_str(), lang)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_code_has_both_languages() {
        for code in ErrorCode::ALL {
            let id = lookup(code.as_str(), Lang::Id);
            let en = lookup(code.as_str(), Lang::En);
            assert!(
                id.is_some_and(|t| !t.is_empty()),
                "{code:?} lacks Indonesian"
            );
            assert!(en.is_some_and(|t| !t.is_empty()), "{code:?} lacks English");
            assert_ne!(id, en, "{code:?}: Indonesian text is a copy of the English");
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<_> = TABLE.iter().map(|(k, _, _)| *k).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
    }

    #[test]
    fn placeholders_are_filled() {
        let s = format("search.count", Lang::Id, &[("count", &3)]);
        assert_eq!(s, "3 arsip ditemukan");
    }
}
