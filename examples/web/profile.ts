// The profile page: the signed-in user and their feed, loaded one after the other, so the page
// waits for both requests in turn although neither needs the other. Put the cursor on either
// `await` in showProfile and press Ctrl+. for "Run concurrently": one Promise.all, and the page
// waits only as long as the slower request.

export interface Resource {
  id: number;
  title: string;
}

async function load(id: number): Promise<Resource> {
  const response = await fetch(`/api/resources/${id}`);
  return (await response.json()) as Resource;
}

export async function showProfile(render: (user: Resource, feed: Resource) => void): Promise<void> {
  const user = await load(1);
  const feed = await load(2);
  render(user, feed);
}
