import { PageHeader } from "@/components/ui/page-header";
import { KeysClient } from "./keys-client";

export const metadata = { title: "Keys" };

export default function KeysPage() {
  return (
    <>
      <PageHeader title="Keys" description="The proxy's virtual keys and the limits configured on each." />
      <KeysClient />
    </>
  );
}
