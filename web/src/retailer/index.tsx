import { t } from "../i18n.js";
import { Layout } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";

export default function RetailerFace() {
  return (
    <Layout title={t("role.retailer")}>
      <MemberGate role="retailer">{(key) => <p>{key.slice(0, 4)}</p>}</MemberGate>
    </Layout>
  );
}
