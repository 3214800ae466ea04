from typing import Any

import pytest
from django.conf import global_settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from accounts.models import PasswordHistory, User
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _messages(password: str, user: User | None) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_password(password, user)
    return caught.value.messages


def _refusals(password: str, user: User | None) -> list[str]:
    """The validators' messages; empty when the password is accepted."""
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


@pytest.fixture
def user() -> User:
    organization = OrganizationFactory.create(name="Công ty TNHH Sao Mai", tax_code="0301234562")
    return UserFactory.create(
        email="nguyen.hai@saomai.vn",
        full_name="Phạm Minh Thư",
        phone="+84 912 345 678",
        national_id="001203004567",
        organization=organization,
    )


def test_a_long_passphrase_without_identifiers_is_accepted(user: User) -> None:
    assert _refusals("mây trắng bay qua đèo Hải Vân", user) == []
    assert _refusals("correct horse battery staple 42", user) == []


def test_fewer_than_12_characters_is_refused_whatever_the_mix(user: User) -> None:
    assert any("at least 12 characters" in m for m in _messages("Xy7$kq!2Lm", user))


def test_no_composition_rule_all_lower_case_letters_are_fine(user: User) -> None:
    assert _refusals("thuyenbuomtrenhoguom", user) == []
    # The same letters one short of 12 are refused for their length alone.
    assert _refusals("thuyenbuomt", user) == [
        "This password is too short. It must contain at least 12 characters."
    ]


def test_a_common_password_is_refused(user: User) -> None:
    assert any("too common" in m for m in _messages("password1234", user))


def test_the_e_mail_local_part_is_refused_case_insensitively(user: User) -> None:
    messages = _messages("My-NGUYEN.HAI-secret", user)
    assert messages == ["The password must not contain your e-mail address."]


def test_the_phone_number_is_refused_comparing_digits_only(user: User) -> None:
    messages = _messages("goi toi 84-912-345-678 nhe", user)
    assert messages == ["The password must not contain your phone number."]


def test_the_national_id_is_refused(user: User) -> None:
    messages = _messages("cccd 001203004567 cua toi", user)
    assert messages == ["The password must not contain your national ID number."]


def test_the_organisations_tax_code_is_refused(user: User) -> None:
    messages = _messages("mst-0301-234-562-abc", user)
    assert messages == ["The password must not contain your organisation's tax code."]


def test_the_organisations_name_is_refused_ignoring_case_and_spaces(user: User) -> None:
    messages = _messages("CÔNG TY TNHH SAO MAI 2026", user)
    assert messages == ["The password must not contain your organisation's name."]


def test_a_password_equal_to_the_tax_code_says_every_rule_it_breaks(user: User) -> None:
    messages = _messages("0301234562", user)
    assert "The password must not contain your organisation's tax code." in messages
    assert any("at least 12 characters" in m for m in messages)


def test_the_last_five_passwords_are_refused_and_the_sixth_is_allowed_again(user: User) -> None:
    passwords = [f"passphrase number {n} for the registry" for n in range(6)]
    for password in passwords:
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for recent in passwords[1:]:
        assert _messages(recent, user) == [
            "You used this password recently: choose one that is not among your last 5 passwords."
        ]
    assert _refusals(passwords[0], user) == []


def test_the_error_for_reuse_is_given_in_vietnamese(user: User) -> None:
    from django.utils import translation

    user.set_password("passphrase used before today")
    user.save()
    with translation.override("vi"):
        messages = _messages("passphrase used before today", user)
    assert "mật khẩu" in messages[0].lower()


def test_passwords_are_stored_with_the_real_hasher_outside_the_test_profile(
    user: User, settings: Any
) -> None:
    # The test profile hashes with MD5 for speed; the site itself keeps Django's default.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    user.set_password("a long passphrase for the registry")
    user.save()
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")
    assert user.check_password("a long passphrase for the registry")
    assert not user.check_password("a long passphrase for the registry!")


REPETITIVE = "The password must not be built from repeated or sequential characters"


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "123456789012",
        "abcdefghijkl",
        "zyxwvutsrqpo",
        "abcabcabcabc",
        "1a1a1a1a1a1a",
    ],
)
def test_repeated_or_sequential_characters_are_refused(user: User, password: str) -> None:
    assert any(m.startswith(REPETITIVE) for m in _messages(password, user))


def test_a_password_of_spaces_only_is_refused_though_long_enough(user: User) -> None:
    assert "The password must not be made of spaces only." in _messages(" " * 16, user)


def test_the_users_own_name_is_refused_with_or_without_diacritics(user: User) -> None:
    for password in ("phamminhthu-2026-xyz", "Phạm Minh Thư ơi ơi", "bầu trời của Phạm"):
        assert "The password must not contain your own name." in _messages(password, user)


def test_the_organisations_distinctive_name_is_refused_with_or_without_diacritics() -> None:
    organization = OrganizationFactory.create(name="Công ty TNHH Thương mại Sao Việt")
    member = UserFactory.create(organization=organization, full_name="Lê Thu")
    expected = "The password must not contain “Sao Việt”, your organisation's name."
    for password in ("saoviet2026!!xyz", "Sao Việt mãi đỉnh", "đi-cùng-SAO-VIET"):
        assert expected in _messages(password, member)
    # The legal form and the trade are in every company's name: alone they are not refused.
    assert _refusals("thương mại điện tử công ty lớn", member) == []


def test_a_distinctive_word_of_the_organisations_name_is_refused() -> None:
    organization = OrganizationFactory.create(name="Công ty Cổ phần Hoàng Long Logistics")
    member = UserFactory.create(organization=organization, full_name="Lê Thu")
    assert (
        "The password must not contain “Hoàng”, a word of your organisation's name."
        in _messages("hoang hon tren song Han", member)
    )


def test_the_sites_own_name_is_refused_even_without_an_account() -> None:
    for password in ("customs broker registry!", "Đại lý hải quan 2026 ơi"):
        assert any("the name of this site" in m for m in _messages(password, None))


def test_a_guessable_password_is_refused_with_zxcvbns_advice(user: User) -> None:
    messages = _messages("iloveyou2024!", user)
    assert messages[0].startswith("Your password is too guessable:")
    assert any(m.startswith("Advice:") for m in messages)
    # A Vietnamese word that means "password" counts as guessable too.
    assert _messages("Matkhau@12345", user)[0].startswith("Your password is too guessable:")


def test_each_new_rule_names_itself_in_vietnamese(user: User) -> None:
    with translation.override("vi"):
        assert "Mật khẩu không được chỉ gồm dấu cách." in _messages(" " * 12, user)
        assert any(
            m.startswith("Mật khẩu không được tạo từ các ký tự lặp lại")
            for m in _messages("123456789012", user)
        )
        assert "Mật khẩu không được chứa tên của chính bạn." in _messages(
            "phamminhthu-2026-xyz", user
        )
        assert "Mật khẩu không được chứa “Sao Mai”, tên tổ chức của bạn." in _messages(
            "toi yeu Sao Mai lam", user
        )
        assert any("tên của trang này" in m for m in _messages("hải quan muôn năm!", user))
        assert _messages("iloveyou2024!", user)[0].startswith("Mật khẩu của bạn quá dễ đoán:")
