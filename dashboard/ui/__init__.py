"""The Streamlit layer: page frame, filters, downloads, review and sign-in widgets over the pure layers below."""
