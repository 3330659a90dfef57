"""The support table, `SupportTable`, and the record base every part of support stores in it:

- `CATEGORIES` / `CATEGORY#<categoryId>`: a support category, with its texts by language
  (`customer_id.support.categories.models`)
- `FAQ` / `FAQ#<createdAt>#<faqId>`: every FAQ item in one partition, in creation order, so that the
  search index is built from one Query; `gsi1` (`FAQCATEGORY#<categoryId>`, same sort key) lists
  one category's items
- `FAQ` / `REVISION`: a fresh random id written with every FAQ change; a container's search index
  is current while the revision it was built at is
- `FAQ#<faqId>` / `FAQ`: finds an item's record from its id
- `FAQ#<faqId>` / `VOTE#<customerId>`: a customer's one vote on an item
  (the FAQ records: `customer_id.support.faq.models`)
- `CHAT#<chatId>` / `CHAT`: a chat; while it waits for an agent, `gsi1` (`CHATQUEUE`,
  `<createdAt>#<chatId>`) puts it in the agents' queue, oldest first
- `CHAT#<chatId>` / `MESSAGE#<messageId>`: its messages; message ids sort in posting order
- `CUSTOMER#<customerId>` / `CHAT#<createdAt>#<chatId>`: the customer's chats, newest first
  (the chat records: `customer_id.support.chat.models`)

Tickets share the table: see `customer_id.support.tickets.models`. Time in sort keys has microseconds, so
that items created one after the other sort in creation order.
"""

from __future__ import annotations

from datetime import UTC, datetime

from customer_id import db


def time_key(moment: datetime) -> str:
    """An instant as it sorts in keys: ISO 8601 UTC with microseconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class SupportTableModel(db.TableModel):
    Meta = db.meta("support_table")
