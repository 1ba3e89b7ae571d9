"""
The Markdown editor's endpoints (live preview and image upload), for staff only.

markdownx ships these views unprotected; the project registers its own, wrapped in
`staff_member_required`, instead of including `markdownx.urls`. Uploads are checked for what
they are (PNG or JPEG, by their content, not their name) and for size.
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST
from markdownx.forms import ImageForm
from PIL import Image, UnidentifiedImageError

from .rendering import render_markdown

ALLOWED_IMAGE_FORMATS = {"PNG", "JPEG"}


class ImageUploadForm(ImageForm):
    def clean(self):
        upload = super().clean()  # content type and size, from the MARKDOWNX_UPLOAD_* settings
        try:
            with Image.open(upload) as image:
                image_format = image.format
                image.verify()
        except (UnidentifiedImageError, OSError, SyntaxError) as error:
            raise ValidationError(
                "This file is not a readable image.", code="invalid_image"
            ) from error
        finally:
            upload.seek(0)
        if image_format not in ALLOWED_IMAGE_FORMATS:
            raise ValidationError("Only PNG and JPEG images can be uploaded.", code="format")
        return upload


@require_POST
@staff_member_required
def markdownify(request):
    """The live preview: the same rendering readers get."""
    content = request.POST.get("content")
    if content is None:
        return HttpResponseBadRequest("Nothing to preview.")
    return HttpResponse(render_markdown(content))


@require_POST
@staff_member_required
def upload(request):
    form = ImageUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse(form.errors, status=400)
    return JsonResponse({"image_code": f"![]({form.save(commit=True)})"})
