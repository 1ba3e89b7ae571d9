"""
The Markdown editor's endpoints (live preview and image upload), for staff only.

markdownx ships these views unprotected; the project registers its own, wrapped in
`staff_member_required`, instead of including `markdownx.urls`. Uploads are checked for what
they are (PNG or JPEG, by their content, not their name), for size in bytes and in pixels, and
stored re-encoded under a name of our own (`uploads.py`).
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST
from markdownx.forms import ImageForm

from . import uploads
from .rendering import render_markdown


class ImageUploadForm(ImageForm):
    def clean(self):
        upload = super().clean()  # content type and size, from the MARKDOWNX_UPLOAD_* settings
        try:
            self.encoded = uploads.reencode(upload)  # format, pixel count, then decoding
        finally:
            upload.seek(0)
        return upload

    def save(self, commit=True):
        """Stores the re-encoded image (never the upload as sent); returns its URL."""
        return uploads.store(self.encoded)


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
    return JsonResponse({"image_code": f"![]({form.save()})"})
