import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Command(BaseCommand):
    help = (
        "生成一对 Web Push 的 VAPID 密钥（P-256），按环境变量格式输出。"
        "私钥只放在服务器的环境文件里；更换密钥后，已开启推送的手机需要重新开启。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--subject", default="mailto:admin@example.gov.cn", help="联系方式：mailto: 邮箱或 https: 网址")

    def handle(self, *args, subject, **options):
        key = ec.generate_private_key(ec.SECP256R1())
        private = key.private_numbers().private_value.to_bytes(32, "big")
        public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        self.stdout.write(f"VAPID_PUBLIC_KEY={b64url(public)}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={b64url(private)}")
        self.stdout.write(f"VAPID_SUBJECT={subject}")
