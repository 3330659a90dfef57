import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { data } from "../../api/client";
import { useApp } from "../../app/context";
import { ForwardIcon } from "../../components/icons";
import { Empty, QueryView } from "../../components/states";
import { OfferTerms } from "./OfferTerms";

export function OffersPage() {
  const { t } = useTranslation("offers");
  const { api, session } = useApp();
  const customerId = session.customerId;
  const offers = useQuery({
    queryKey: ["offers", customerId],
    queryFn: () => data(api.GET("/customers/{customerId}/offers", { params: { path: { customerId } } })),
  });
  return (
    <div className="page">
      <h1>{t("title")}</h1>
      <p className="muted">{t("intro")}</p>
      <QueryView query={offers}>
        {({ items }) =>
          items.length === 0 ? (
            <Empty>{t("noOffers")}</Empty>
          ) : (
            <ul className="list page" data-testid="offers">
              {items.map((offer) => (
                <li key={offer.offerId} className="card">
                  <Link to={`/offers/${encodeURIComponent(offer.offerId)}`} className="offer-link">
                    <div>
                      <h2>{offer.title}</h2>
                      <OfferTerms offer={offer} />
                    </div>
                    <span aria-hidden="true">
                      <ForwardIcon />
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </div>
  );
}
