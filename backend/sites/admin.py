from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path

from backend import access
from backend.errors import ServiceError

from .models import ContactReveal, Inquiry, OwnerUnit, OwnerUnitMember, SavedSearch, Site, SitePhoto


class OwnerUnitMemberInline(admin.TabularInline):
    model = OwnerUnitMember
    raw_id_fields = ("user",)
    extra = 0


@admin.register(OwnerUnit)
class OwnerUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "contact_name")
    search_fields = ("code", "name")
    inlines = [OwnerUnitMemberInline]


@admin.register(OwnerUnitMember)
class OwnerUnitMemberAdmin(admin.ModelAdmin):
    """资源持有单位成员: which unit's listings an owner account manages."""

    list_display = ("user", "owner_unit", "since", "until")
    list_filter = ("until",)
    search_fields = ("user__username", "owner_unit__name")
    raw_id_fields = ("user", "owner_unit")


class SitePhotoInline(admin.TabularInline):
    model = SitePhoto
    extra = 0
    fields = ("image", "width", "height", "uploaded_by", "uploaded_at")
    readonly_fields = fields


class ImportForm(forms.Form):
    file = forms.FileField(label="场地文件", help_text="GeoJSON、zip 压缩的 Shapefile、GeoPackage、CSV 或 XLSX")
    crs = forms.ChoiceField(
        label="坐标系",
        required=False,
        choices=[
            ("", "文件自带（表格默认 WGS-84）"),
            ("wgs84", "WGS-84（GPS）"),
            ("gcj02", "GCJ-02（高德、腾讯）"),
            ("bd09", "BD-09（百度）"),
            ("cgcs2000", "CGCS2000 经纬度"),
            ("EPSG:4549", "CGCS2000 3度带 中央经线120°E（EPSG:4549）"),
            ("EPSG:4550", "CGCS2000 3度带 中央经线123°E（EPSG:4550）"),
        ],
    )
    layer = forms.CharField(label="图层/工作表", required=False, help_text="默认第一个")
    allow_far = forms.BooleanField(
        label="允许远离镇界的点",
        required=False,
        help_text="默认拒绝超出坐标系适用范围或远离镇界的点（多半是坐标系选错或 x/y 填反）",
    )
    dry_run = forms.BooleanField(label="试运行（只检查，不写入）", required=False, initial=True)
    skip_invalid = forms.BooleanField(label="跳过有问题的行，导入其余的", required=False)


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "status", "area_m2", "rent_per_m2_day", "owner_unit", "last_confirmed")
    list_filter = ("type", "status", "owner_unit")
    search_fields = ("name", "external_id", "address")
    readonly_fields = ("area_m2", "rent_per_m2_day", "min_lng", "min_lat", "max_lng", "max_lat", "created_at", "updated_at")
    inlines = [SitePhotoInline]
    change_list_template = "admin/sites/site/change_list.html"

    def save_model(self, request, obj, form, change):
        from .services import site_derive

        site_derive(obj)  # the search columns follow what the admin typed
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="sites_site_import"),
        ] + super().get_urls()

    def import_view(self, request):
        """Upload page for the asset platform's files: same importer as `manage.py import_sites`."""
        if not access.core.is_admin(request.user):
            raise PermissionDenied
        from .imports import sites_import_upload

        report = None
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                report = sites_import_upload(
                    upload=data["file"],
                    crs=data["crs"],
                    layer=data["layer"],
                    dry_run=data["dry_run"],
                    skip_invalid=data["skip_invalid"],
                    allow_far=data["allow_far"],
                )
            except ServiceError as exc:
                form.add_error("file", exc.detail)
            else:
                level = messages.SUCCESS if (report.imported or (report.dry_run and not report.problems)) else messages.WARNING
                messages.add_message(request, level, report.summary())
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "导入场地数据",
            "form": form,
            "report": report,
        }
        return TemplateResponse(request, "admin/sites/site/import.html", context)


@admin.register(Inquiry)
class InquiryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "site", "user", "status", "answered_at")
    list_filter = ("status",)
    raw_id_fields = ("site", "user", "enterprise", "answered_by")


@admin.register(ContactReveal)
class ContactRevealAdmin(admin.ModelAdmin):
    """The reveal log is evidence: readable, never edited. Filter by a network or an
    enterprise named in a harvest alert (the admins' inbox) to see what it revealed."""

    list_display = ("at", "user", "enterprise", "site", "ip", "network", "repeat")
    list_filter = ("repeat",)
    search_fields = ("network", "ip", "user__username", "enterprise__name", "site__name")
    raw_id_fields = ("user", "site", "enterprise")
    date_hierarchy = "at"
    list_select_related = ("user", "site", "enterprise")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "created_at")
    raw_id_fields = ("user",)
