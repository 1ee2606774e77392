//! Decoding, turning upright, resizing and encoding one picture: pure, bytes in, variants out.

use std::io::Cursor;

use fast_image_resize::images::Image;
use fast_image_resize::{IntoImageView, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader};

/// How pictures are processed (from `site.yaml`).
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The widths offered, in pixels, smallest first.
    pub widths: Vec<u32>,
    /// WebP quality, 0–100.
    pub webp_quality: f32,
    /// JPEG quality of the fallback, 1–100.
    pub jpeg_quality: u8,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::from(&crate::config::ImageConfig::default())
    }
}

impl From<&crate::config::ImageConfig> for Settings {
    fn from(c: &crate::config::ImageConfig) -> Settings {
        Settings {
            widths: c.sorted_widths(),
            webp_quality: f32::from(c.quality),
            jpeg_quality: c.jpeg_quality,
        }
    }
}

/// The encodings a variant is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Webp,
    Jpeg,
    Png,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Webp => "webp",
            Format::Jpeg => "jpg",
            Format::Png => "png",
        }
    }
}

/// One resized, re-encoded copy of a picture.
#[derive(Debug, Clone)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub bytes: Vec<u8>,
}

/// A picture's size once upright, and its variants: for each width, WebP then the fallback.
#[derive(Debug, Clone)]
pub struct Processed {
    pub width: u32,
    pub height: u32,
    pub variants: Vec<Variant>,
}

/// Why a picture could not be processed, in words for the writer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

/// The widths to make for a picture `width` pixels wide: the settings' widths below it, and
/// its own width when it is below the largest (so the largest variant is never enlarged).
pub fn widths_for(width: u32, settings: &Settings) -> Vec<u32> {
    let mut out: Vec<u32> = settings
        .widths
        .iter()
        .copied()
        .filter(|&w| w < width)
        .collect();
    let largest = settings.widths.iter().copied().max().unwrap_or(width);
    if width <= largest {
        out.push(width);
    }
    if out.is_empty() {
        out.push(largest.min(width));
    }
    out
}

/// Decodes `bytes` only, for `rally check`: the error [`process`] would give, without the
/// work of making copies.
pub fn check(bytes: &[u8]) -> Result<(), Unreadable> {
    let unreadable =
        |e: &dyn std::fmt::Display| Unreadable(format!("this picture cannot be read: {e}"));
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(&e))?;
    reader.decode().map(|_| ()).map_err(|e| unreadable(&e))
}

/// Decodes, turns upright, resizes and encodes `bytes`.
pub fn process(bytes: &[u8], settings: &Settings) -> Result<Processed, Unreadable> {
    let unreadable =
        |e: &dyn std::fmt::Display| Unreadable(format!("this picture cannot be read: {e}"));
    let reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| unreadable(&e))?;
    let source_format = reader.format();
    let mut decoder = reader.into_decoder().map_err(|e| unreadable(&e))?;
    let orientation = decoder.orientation().map_err(|e| unreadable(&e))?;
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| unreadable(&e))?;
    img.apply_orientation(orientation);
    let alpha = img.color().has_alpha();
    // 8-bit RGB or RGBA: what the encoders take.
    let img = if alpha {
        DynamicImage::ImageRgba8(img.to_rgba8())
    } else {
        DynamicImage::ImageRgb8(img.to_rgb8())
    };
    let (width, height) = (img.width(), img.height());
    // The fallback keeps the original's format, so the largest copy can be published under
    // the original's name; a WebP original needs none.
    let fallback = match source_format {
        Some(image::ImageFormat::WebP) => None,
        Some(image::ImageFormat::Png) => Some(Format::Png),
        _ if alpha => Some(Format::Png),
        _ => Some(Format::Jpeg),
    };
    let mut resizer = Resizer::new();
    let mut variants = Vec::new();
    for w in widths_for(width, settings) {
        let h = ((u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width))
            .max(1) as u32;
        let pixels = if w == width {
            img.as_bytes().to_vec()
        } else {
            let pixel_type = img
                .pixel_type()
                .ok_or_else(|| unreadable(&"unknown pixels"))?;
            let mut dst = Image::new(w, h, pixel_type);
            resizer
                .resize(&img, &mut dst, None)
                .map_err(|e| unreadable(&e))?;
            dst.into_vec()
        };
        let webp = if alpha {
            webp::Encoder::from_rgba(&pixels, w, h)
        } else {
            webp::Encoder::from_rgb(&pixels, w, h)
        }
        .encode(settings.webp_quality)
        .to_vec();
        variants.push(Variant {
            width: w,
            height: h,
            format: Format::Webp,
            bytes: webp,
        });
        if let Some(format) = fallback {
            variants.push(Variant {
                width: w,
                height: h,
                format,
                bytes: encode(&pixels, w, h, alpha, format, settings)
                    .map_err(|e| unreadable(&e))?,
            });
        }
    }
    Ok(Processed {
        width,
        height,
        variants,
    })
}

fn encode(
    pixels: &[u8],
    w: u32,
    h: u32,
    alpha: bool,
    format: Format,
    settings: &Settings,
) -> image::ImageResult<Vec<u8>> {
    use image::ImageEncoder;
    let color = if alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, settings.jpeg_quality)
                .write_image(pixels, w, h, color)?
        }
        Format::Png | Format::Webp => {
            image::codecs::png::PngEncoder::new(&mut out).write_image(pixels, w, h, color)?
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::samples::photo_with_gps as jpeg_with_exif;

    #[test]
    fn widths_are_never_enlarged() {
        let s = Settings::default();
        assert_eq!(widths_for(3000, &s), [480, 960, 1200, 1600]);
        assert_eq!(widths_for(1200, &s), [480, 960, 1200]);
        assert_eq!(widths_for(1300, &s), [480, 960, 1200, 1300]);
        assert_eq!(widths_for(300, &s), [300]);
    }

    #[test]
    fn photos_are_upright_resized_and_without_their_location() {
        let photo = jpeg_with_exif(1000, 600, 6);
        assert!(
            photo.windows(4).any(|w| w == b"Exif"),
            "the test photo has EXIF"
        );
        let p = process(&photo, &Settings::default()).unwrap();
        // Orientation 6: turned a quarter, so 600 wide and 1000 high.
        assert_eq!((p.width, p.height), (600, 1000));
        let sizes: Vec<(u32, u32, Format)> = p
            .variants
            .iter()
            .map(|v| (v.width, v.height, v.format))
            .collect();
        assert_eq!(
            sizes,
            [
                (480, 800, Format::Webp),
                (480, 800, Format::Jpeg),
                (600, 1000, Format::Webp),
                (600, 1000, Format::Jpeg)
            ]
        );
        for v in &p.variants {
            let kind = imagesize::image_type(&v.bytes).unwrap();
            match v.format {
                Format::Webp => assert_eq!(kind, imagesize::ImageType::Webp),
                Format::Jpeg => assert_eq!(kind, imagesize::ImageType::Jpeg),
                Format::Png => assert_eq!(kind, imagesize::ImageType::Png),
            }
            let size = imagesize::blob_size(&v.bytes).unwrap();
            assert_eq!((size.width as u32, size.height as u32), (v.width, v.height));
            assert!(
                !v.bytes.windows(4).any(|w| w == b"Exif"),
                "no EXIF in a variant"
            );
        }
    }

    #[test]
    fn a_picture_with_transparency_keeps_it() {
        use image::ImageEncoder;
        let img =
            image::RgbaImage::from_fn(700, 100, |x, _| image::Rgba([0, 0, 0, (x % 256) as u8]));
        let mut png = Vec::new();
        image::codecs::png::PngEncoder::new(&mut png)
            .write_image(img.as_raw(), 700, 100, image::ExtendedColorType::Rgba8)
            .unwrap();
        let p = process(&png, &Settings::default()).unwrap();
        assert!(
            p.variants.iter().all(|v| v.format != Format::Jpeg),
            "JPEG has no transparency"
        );
    }

    #[test]
    fn a_file_that_is_not_a_picture_is_an_error_not_a_panic() {
        for bad in [
            &b""[..],
            b"GIF89a",
            b"\xFF\xD8\xFF\xE0 truncated",
            b"<svg/>",
        ] {
            assert!(process(bad, &Settings::default()).is_err());
        }
    }
}
