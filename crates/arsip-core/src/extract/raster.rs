//! Page images: reading scans safely (a pixel cap checked from the header before
//! any decoding, and an allocation limit for decoders that lie), splitting
//! multi-page TIFFs and making thumbnails.

use crate::error::{io_at, Error, ErrorCode, Result};
use image::{DynamicImage, ImageReader, Limits};
use std::io::{BufReader, Cursor};
use std::path::{Path, PathBuf};

/// Decoders may allocate at most this much for one image.
const MAX_ALLOC: u64 = 1 << 30;
pub const THUMBNAIL_WIDTH: u32 = 240;

fn limits() -> Limits {
    let mut l = Limits::default();
    l.max_alloc = Some(MAX_ALLOC);
    l
}

fn decode_error(path: &Path, e: image::ImageError) -> Error {
    match e {
        image::ImageError::Limits(_) => {
            Error::new(ErrorCode::ImageTooLarge, path.display().to_string())
        }
        image::ImageError::Unsupported(u) => {
            Error::new(ErrorCode::UnsupportedFormat, u.to_string())
        }
        other => Error::new(ErrorCode::CorruptFile, other.to_string()),
    }
}

/// Width and height from the file's header, refusing images above `max_pixels`.
pub fn check_dimensions(path: &Path, max_pixels: u64) -> Result<(u32, u32)> {
    let file = std::fs::File::open(path).map_err(io_at(path))?;
    let reader = ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(io_at(path))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| decode_error(path, e))?;
    let pixels = w as u64 * h as u64;
    if pixels > max_pixels {
        return Err(Error::new(
            ErrorCode::ImageTooLarge,
            format!(
                "{w}×{h} = {} MP, limit {} MP",
                pixels / 1_000_000,
                max_pixels / 1_000_000
            ),
        ));
    }
    Ok((w, h))
}

/// An image sent as bytes (a phone's photo of a label): its size checked
/// from the header against `max_pixels` before any decoding.
pub fn decode_bytes(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage> {
    let named = Path::new("gambar");
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(io_at(named))?;
    let (w, h) = reader
        .into_dimensions()
        .map_err(|e| decode_error(named, e))?;
    // A photo is not a strip: a 49,000,000 × 1 image costs as much to
    // decode as a square one and shows no label.
    let (long, short) = (w.max(h) as u64, w.min(h).max(1) as u64);
    if w as u64 * h as u64 > max_pixels || long > 10 * short {
        return Err(Error::new(
            ErrorCode::ImageTooLarge,
            format!(
                "{w}×{h}, limit {} MP, sides at most 10:1",
                max_pixels / 1_000_000
            ),
        ));
    }
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(io_at(named))?;
    // Room for the pixel cap at 8 bytes a pixel (16-bit RGBA), no more.
    let mut l = Limits::default();
    l.max_alloc = Some((max_pixels * 8).min(MAX_ALLOC));
    reader.limits(l);
    reader.decode().map_err(|e| decode_error(named, e))
}

pub fn open_image(path: &Path) -> Result<DynamicImage> {
    let file = std::fs::File::open(path).map_err(io_at(path))?;
    let mut reader = ImageReader::new(BufReader::new(file))
        .with_guessed_format()
        .map_err(io_at(path))?;
    reader.limits(limits());
    reader.decode().map_err(|e| decode_error(path, e))
}

/// A small JPEG of the page for lists and the viewer's strip.
pub fn thumbnail_jpeg(img: &DynamicImage) -> Result<Vec<u8>> {
    let height =
        (THUMBNAIL_WIDTH as f32 * img.height() as f32 / img.width().max(1) as f32).ceil() as u32;
    jpeg(&img.thumbnail(THUMBNAIL_WIDTH, height.max(1)))
}

/// The view of a scan decoded and turned upright: fitted to the viewer's width.
pub fn view_of_image(upright: &DynamicImage) -> Result<super::PageView> {
    let fitted = if upright.width() > super::VIEW_WIDTH {
        upright.thumbnail(super::VIEW_WIDTH, upright.height())
    } else {
        upright.clone()
    };
    Ok(super::PageView {
        scale: fitted.width() as f32 / upright.width().max(1) as f32,
        jpeg: jpeg(&fitted)?,
        words: None,
    })
}

/// A page image as the viewer is sent it (a view, a thumbnail): a grey scan
/// as a grey JPEG (a quarter of the time to encode the same page in colour,
/// measured).
pub fn jpeg(img: &DynamicImage) -> Result<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let mut encoder =
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, super::VIEW_QUALITY);
    match img {
        DynamicImage::ImageLuma8(grey) => encoder.encode_image(grey),
        other => encoder.encode_image(&other.to_rgb8()),
    }
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    Ok(out.into_inner())
}

/// A grey image written to a temporary PNG for a program to read (fast
/// compression: it lives for one OCR run).
pub fn temp_png(img: &image::GrayImage) -> Result<tempfile::NamedTempFile> {
    use image::ImageEncoder;
    let file = tempfile::Builder::new().suffix(".png").tempfile()?;
    let mut out = std::io::BufWriter::new(file.as_file());
    image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Fast,
        image::codecs::png::FilterType::Sub,
    )
    .write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::L8,
    )
    .map_err(|e| Error::new(ErrorCode::Internal, e.to_string()))?;
    std::io::Write::flush(&mut out)?;
    drop(out);
    Ok(file)
}

/// Turns a scan the way OCR turned it to read it, so its boxes fit.
pub fn upright(img: DynamicImage, rotation: u32) -> DynamicImage {
    match rotation {
        90 => img.rotate90(),
        180 => img.rotate180(),
        270 => img.rotate270(),
        _ => img,
    }
}

/// Writes each page of a (possibly multi-page) TIFF as a PNG in `dir`, checking
/// every page against the pixel cap before decoding it.
pub fn split_tiff(path: &Path, dir: &Path, max_pixels: u64) -> Result<Vec<PathBuf>> {
    let file = std::fs::File::open(path).map_err(io_at(path))?;
    let corrupt = |e: tiff::TiffError| match e {
        tiff::TiffError::LimitsExceeded => {
            Error::new(ErrorCode::ImageTooLarge, path.display().to_string())
        }
        tiff::TiffError::UnsupportedError(u) => {
            Error::new(ErrorCode::UnsupportedFormat, u.to_string())
        }
        other => Error::new(ErrorCode::CorruptFile, other.to_string()),
    };
    let mut decoder = tiff::decoder::Decoder::new(BufReader::new(file)).map_err(corrupt)?;
    let mut pages = Vec::new();
    loop {
        let (w, h) = decoder.dimensions().map_err(corrupt)?;
        if w as u64 * h as u64 > max_pixels {
            return Err(Error::new(
                ErrorCode::ImageTooLarge,
                format!("page {}: {w}×{h}", pages.len() + 1),
            ));
        }
        let color = decoder.colortype().map_err(corrupt)?;
        let data = decoder.read_image().map_err(corrupt)?;
        let img = tiff_page_image(w, h, color, data).ok_or_else(|| {
            Error::new(
                ErrorCode::UnsupportedFormat,
                format!("TIFF colour type {color:?}"),
            )
        })?;
        let out = dir.join(format!("page-{:04}.png", pages.len() + 1));
        img.save_with_format(&out, image::ImageFormat::Png)
            .map_err(|e| Error::new(ErrorCode::Io, e.to_string()))?;
        pages.push(out);
        if !decoder.more_images() {
            break;
        }
        decoder.next_image().map_err(corrupt)?;
    }
    Ok(pages)
}

fn tiff_page_image(
    w: u32,
    h: u32,
    color: tiff::ColorType,
    data: tiff::decoder::DecodingResult,
) -> Option<DynamicImage> {
    use tiff::decoder::DecodingResult as D;
    use tiff::ColorType as C;
    match (color, data) {
        (C::Gray(8), D::U8(v)) => image::GrayImage::from_raw(w, h, v).map(DynamicImage::ImageLuma8),
        (C::Gray(1), D::U8(v)) => {
            // Bilevel scans: one bit per pixel, rows padded to whole bytes, 1 =
            // white once decoded: tiff 0.11 inverts WhiteIsZero pages (fax
            // software's), which 0.10 refused.
            let row = w.div_ceil(8) as usize;
            let mut px = Vec::with_capacity((w * h) as usize);
            for y in 0..h as usize {
                for x in 0..w as usize {
                    let byte = v.get(y * row + x / 8).copied().unwrap_or(0);
                    px.push(if byte & (0x80 >> (x % 8)) != 0 {
                        255
                    } else {
                        0
                    });
                }
            }
            image::GrayImage::from_raw(w, h, px).map(DynamicImage::ImageLuma8)
        }
        (C::RGB(8), D::U8(v)) => image::RgbImage::from_raw(w, h, v).map(DynamicImage::ImageRgb8),
        (C::RGBA(8), D::U8(v)) => image::RgbaImage::from_raw(w, h, v).map(DynamicImage::ImageRgba8),
        (C::GrayA(8), D::U8(v)) => {
            image::GrayAlphaImage::from_raw(w, h, v).map(DynamicImage::ImageLumaA8)
        }
        (C::Gray(16), D::U16(v)) => {
            image::ImageBuffer::from_raw(w, h, v).map(DynamicImage::ImageLuma16)
        }
        _ => None,
    }
}
